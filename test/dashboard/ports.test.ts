import { expect } from "chai";

import { portFromEnvironment } from "../../scripts/dashboard/ports.js";

describe("npm start's port variables", function () {
  it("uses the default when unset or empty, the value when it is a port (0 = any free one)", function () {
    expect(portFromEnvironment("CHAIN_PORT", 8545, {})).to.equal(8545);
    expect(portFromEnvironment("CHAIN_PORT", 8545, { CHAIN_PORT: "" })).to.equal(8545);
    expect(portFromEnvironment("CHAIN_PORT", 8545, { CHAIN_PORT: "0" })).to.equal(0);
    expect(portFromEnvironment("CHAIN_PORT", 8545, { CHAIN_PORT: "9000" })).to.equal(9000);
  });

  it("names the variable and the allowed range for anything else", function () {
    for (const value of ["abc", "-1", "65536", "80.5", "0x10"]) {
      expect(portFromEnvironment("DASHBOARD_PORT", 8600, { DASHBOARD_PORT: value })).to.equal(
        `DASHBOARD_PORT=${value} is not a port: use 0-65535 (0 = any free port)`,
      );
    }
  });
});
