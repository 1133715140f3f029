// jevm fuzz's peer: runs state-test files (one test, one post entry each, as `jevm fuzz` writes them) through
// @ethereumjs/vm and prints, per file, one JSON line:
//   {"name", "stateRoot", "gasUsed", "logsHash"}            the transaction ran (or was rejected: "error")
//   {"name", "unsupported": "why"}                          something this peer cannot run
// Input: one file path per line on stdin (so one node process serves a whole campaign).
// The pre-state is built in a fresh MerkleStateManager, the block from `env`, the transaction from `transaction`
// (signed with `secretKey`), then runTx(vm) does what a block would: intrinsic gas, fees, refunds, coinbase, and
// EIP-161 clean-up. Block rewards are not paid (state tests have none).
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createVM, runTx } from '@ethereumjs/vm'
import { createBlock } from '@ethereumjs/block'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import { createLegacyTx, createAccessList2930Tx, createFeeMarket1559Tx } from '@ethereumjs/tx'
import { hexToBytes, bytesToHex, setLengthLeft, createAddressFromString } from '@ethereumjs/util'
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 } from '@noble/hashes/sha3.js'

const FORKS = {
  Frontier: Hardfork.Chainstart,
  Homestead: Hardfork.Homestead,
  TangerineWhistle: Hardfork.TangerineWhistle, EIP150: Hardfork.TangerineWhistle,
  SpuriousDragon: Hardfork.SpuriousDragon, EIP158: Hardfork.SpuriousDragon,
  Byzantium: Hardfork.Byzantium,
  Constantinople: Hardfork.Constantinople,
  Petersburg: Hardfork.Petersburg, ConstantinopleFix: Hardfork.Petersburg,
  Istanbul: Hardfork.Istanbul,
  Berlin: Hardfork.Berlin,
  London: Hardfork.London,
  Paris: Hardfork.Paris, Merge: Hardfork.Paris,
  Shanghai: Hardfork.Shanghai,
  Cancun: Hardfork.Cancun,
  Prague: Hardfork.Prague,
  Osaka: Hardfork.Osaka,
}
const AT_LEAST = (common, hf) => common.gteHardfork(hf)

// BLOCKHASH in state tests: the test runners' convention (geth's, and Jevm's) is keccak256 of the block number written
// in decimal; ethereumjs's default mock blockchain answers zero for every block, which made BLOCKHASH "differ".
const STATE_TEST_BLOCKS = {
  async getBlock(number) {
    const hash = keccak_256(new TextEncoder().encode(String(number)))
    return { hash: () => hash }
  },
  async putBlock() {},
  shallowCopy() { return this },
}

async function runFile(path) {
  const doc = JSON.parse(readFileSync(path, 'utf8'))
  const name = Object.keys(doc)[0]
  const t = doc[name]
  const forkName = Object.keys(t.post)[0]
  const hardfork = FORKS[forkName]
  if (!hardfork) return { name, unsupported: `fork ${forkName}` }
  if (t.transaction.authorizationList) return { name, unsupported: 'EIP-7702 transactions' }
  if (t.transaction.blobVersionedHashes) return { name, unsupported: 'blob transactions (needs a KZG library)' }
  const post = t.post[forkName][0]
  const idx = post.indexes
  const common = new Common({ chain: Mainnet, hardfork })

  const stateManager = new MerkleStateManager({ common })
  const genesis = {}
  for (const [address, a] of Object.entries(t.pre)) {
    genesis[address] = [a.balance, a.code, Object.entries(a.storage ?? {}).map(([k, v]) => [bytesToHex(setLengthLeft(hexToBytes(k), 32)), v]), a.nonce]
  }
  await stateManager.generateCanonicalGenesis(genesis)
  const vm = await createVM({ common, stateManager, blockchain: STATE_TEST_BLOCKS })

  const env = t.env
  const header = {
    coinbase: env.currentCoinbase,
    number: BigInt(env.currentNumber),
    timestamp: BigInt(env.currentTimestamp),
    gasLimit: BigInt(env.currentGasLimit),
    difficulty: AT_LEAST(common, Hardfork.Paris) ? 0n : BigInt(env.currentDifficulty),
  }
  if (AT_LEAST(common, Hardfork.London)) header.baseFeePerGas = BigInt(env.currentBaseFee ?? 0)
  if (AT_LEAST(common, Hardfork.Paris)) header.mixHash = setLengthLeft(hexToBytes(env.currentRandom ?? '0x00'), 32)
  if (AT_LEAST(common, Hardfork.Cancun)) { header.excessBlobGas = BigInt(env.currentExcessBlobGas ?? 0); header.blobGasUsed = 0n }
  const block = createBlock({ header }, { common, skipConsensusFormatValidation: true })

  const tx = t.transaction
  const data = {
    nonce: BigInt(tx.nonce),
    gasLimit: BigInt(tx.gasLimit[idx.gas]),
    to: tx.to ? tx.to : undefined,
    value: BigInt(tx.value[idx.value]),
    data: hexToBytes(tx.data[idx.data] === '0x' ? '0x' : tx.data[idx.data]),
  }
  let unsigned
  if (tx.maxFeePerGas !== undefined) {
    unsigned = createFeeMarket1559Tx({ ...data, maxFeePerGas: BigInt(tx.maxFeePerGas), maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas), accessList: tx.accessLists?.[idx.data] ?? [] }, { common })
  } else if (tx.accessLists && tx.accessLists[idx.data]) {
    unsigned = createAccessList2930Tx({ ...data, gasPrice: BigInt(tx.gasPrice), accessList: tx.accessLists[idx.data] }, { common })
  } else {
    unsigned = createLegacyTx({ ...data, gasPrice: BigInt(tx.gasPrice) }, { common })
  }
  const signed = unsigned.sign(hexToBytes(tx.secretKey))
  try {
    const r = await runTx(vm, { tx: signed, block, skipHardForkValidation: true, skipBlockGasLimitValidation: true })
    const logsHash = bytesToHex(keccak_256(RLP.encode(r.receipt.logs)))
    const stateRoot = bytesToHex(await vm.stateManager.getStateRoot())
    return { name, stateRoot, gasUsed: Number(r.totalGasSpent), logsHash, exception: r.execResult.exceptionError?.error ?? null }
  } catch (e) {
    const msg = String(e?.message ?? e)
    if (/kzg/i.test(msg)) return { name, unsupported: `KZG: ${msg.slice(0, 200)}` }
    return { name, error: msg.slice(0, 300) }
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of rl) {
  const path = line.trim()
  if (!path) continue
  let result
  try { result = await runFile(path) } catch (e) { result = { name: path, error: `peer: ${String(e?.message ?? e).slice(0, 300)}` } }
  process.stdout.write(JSON.stringify(result) + '\n')
}
