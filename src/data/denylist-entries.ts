// Spender contracts through which attackers drained wallets that had approved them. Each
// address comes from a public post-mortem, PoC or the protocol's own deployment list, cited in
// `sources`. An approval to one of these on the listed chain is graded critical. Kept as a
// module (not JSON read from disk) so that it bundles for the browser like any other code.
import type { DenylistFile } from "./denylist.js";

export const BUNDLED_DENYLIST: DenylistFile = {
  entries: [
    {
      name: "Transit Swap: claimTokens",
      incident: "Transit Swap arbitrary transferFrom through claimTokens (unchecked call data); ~$21M drained from wallets that had approved it",
      date: "2022-10-02",
      contracts: [
        {
          chainId: 1,
          address: "0xed1afc8c4604958c2f38a3408fa63b32e737c428"
        },
        {
          chainId: 56,
          address: "0xed1afc8c4604958c2f38a3408fa63b32e737c428"
        }
      ],
      sources: [
        "https://rekt.news/transit-swap-rekt/",
        "https://slowmist.medium.com/cross-chain-dex-aggregator-transit-swap-hacked-analysis-74ba39c22020"
      ]
    },
    {
      name: "SushiSwap RouteProcessor2",
      incident: "SushiSwap RouteProcessor2 approval exploit (unvalidated pool in processRoute); >$3.3M drained, contract non-upgradeable and non-pausable",
      date: "2023-04-09",
      contracts: [
        {
          chainId: 1,
          address: "0x044b75f554b886A065b9567891e45c79542d7357"
        },
        {
          chainId: 10,
          address: "0xF0cBce1942A68BEB3d1b73F0dd86C8DCc363eF49"
        },
        {
          chainId: 56,
          address: "0xD75F5369724b513b497101fb15211160c1d96550"
        },
        {
          chainId: 100,
          address: "0x145d82bCa93cCa2AE057D1c6f26245d1b9522E6F"
        },
        {
          chainId: 122,
          address: "0x2f686751b19a9d91cc3d57d90150Bc767f050066"
        },
        {
          chainId: 137,
          address: "0x5097CBB61D3C75907656DC4e3bbA892Ff136649a"
        },
        {
          chainId: 250,
          address: "0x3e603C14aF37EBdaD31709C4f848Fc6aD5BEc715"
        },
        {
          chainId: 288,
          address: "0x2f686751b19a9d91cc3d57d90150bc767f050066"
        },
        {
          chainId: 1101,
          address: "0x93395129bd3fcf49d95730D3C2737c17990fF328"
        },
        {
          chainId: 1284,
          address: "0x1838b053E0223F05FB768fa79aA07Df3f0f27480"
        },
        {
          chainId: 1285,
          address: "0x3d2f8ae0344d38525d2ae96ab750b83480c0844f"
        },
        {
          chainId: 42161,
          address: "0xA7caC4207579A179c1069435d032ee0F9F150e5c"
        },
        {
          chainId: 42170,
          address: "0x1c5771e96C9d5524fb6e606f5B356d08C40Eb194"
        },
        {
          chainId: 43114,
          address: "0xbACEB8eC6b9355Dfc0269C18bac9d6E2Bdc29C4F"
        }
      ],
      sources: [
        "https://www.sushi.com/blog/routeprocessor2-post-mortem",
        "https://github.com/sushi-labs/sushi/blob/0689a0cf4af4b678b87743b54cba547b4bb19657/src/config/features/route-processor.ts"
      ]
    },
    {
      name: "Socket Gateway",
      incident: "Socket/Bungee: route 406 (WrappedTokenSwapperImpl) passed user call data to transferFrom through the gateway; ~$3.3M drained from ~230 wallets with infinite approvals",
      date: "2024-01-16",
      contracts: [
        {
          chainId: 1,
          address: "0x3a23F943181408EAC424116Af7b7790c94Cb97a5"
        }
      ],
      sources: [
        "https://github.com/SunWeb3Sec/DeFiHackLabs/blob/main/src/test/2024-01/SocketGateway_exp.sol",
        "https://twitter.com/BeosinAlert/status/1747450173675196674",
        "https://www.coindesk.com/tech/2024/01/17/socket-bungee-restart-operations-after-apparent-33m-exploit/"
      ]
    },
    {
      name: "LI.FI Diamond",
      incident: "LI.FI GasZipFacet depositToGasZipERC20 arbitrary call through the diamond; ~$10-11.6M drained from 153 wallets with infinite approvals",
      date: "2024-07-16",
      contracts: [
        {
          chainId: 1,
          address: "0x1231DEB6f5749EF6cE6943a275A1D3E7486F4EaE"
        }
      ],
      sources: [
        "https://github.com/SunWeb3Sec/DeFiHackLabs/blob/main/src/test/2024-07/Lifiprotocol_exp.sol",
        "https://fullycrypto.com/li-fi-reveals-cause-of-11-million-hack",
        "https://www.blockchainbreaches.com/breaches/li-fi-2024"
      ]
    }
  ]
};
