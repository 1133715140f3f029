using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Evm;

/// <summary>Whether an account or storage slot had been accessed before in the transaction (EIP-2929).</summary>
public enum AccessStatus : byte
{
    /// <summary>First access in this transaction: charged the cold cost.</summary>
    Cold = 0,
    /// <summary>Accessed before (or pre-warmed): charged the warm cost.</summary>
    Warm = 1,
}

/// <summary>
/// The block and transaction a frame runs in: what the environment opcodes read.
/// </summary>
public sealed class TxContext
{
    /// <summary>GASPRICE: the effective gas price of the transaction.</summary>
    public UInt256 GasPrice { get; init; }
    /// <summary>ORIGIN.</summary>
    public Address Origin { get; init; }
    /// <summary>COINBASE.</summary>
    public Address Coinbase { get; init; }
    /// <summary>NUMBER.</summary>
    public long BlockNumber { get; init; }
    /// <summary>TIMESTAMP.</summary>
    public ulong Timestamp { get; init; }
    /// <summary>GASLIMIT: the block gas limit.</summary>
    public long BlockGasLimit { get; init; }
    /// <summary>PREVRANDAO after the Merge, DIFFICULTY before (the same opcode, 0x44).</summary>
    public UInt256 PrevRandao { get; init; }
    /// <summary>CHAINID.</summary>
    public UInt256 ChainId { get; init; } = 1;
    /// <summary>BASEFEE.</summary>
    public UInt256 BaseFee { get; init; }
    /// <summary>BLOBBASEFEE.</summary>
    public UInt256 BlobBaseFee { get; init; }
    /// <summary>BLOBHASH: the transaction's versioned hashes.</summary>
    public Hash256[] BlobHashes { get; init; } = [];
    /// <summary>
    /// The hashes BLOCKHASH returns, by block number, when the host answers from the context (e.g. <c>jevm t8n</c>'s
    /// env.blockHashes); null: the host's own rule.
    /// </summary>
    public Func<long, Hash256>? BlockHashes { get; init; }
}

/// <summary>
/// The state and world an executing frame talks to (EVMC's host interface). A client implements it over its own state;
/// <c>Jevm.State.WorldState</c> is the in-memory implementation used by the state-test runner.
/// </summary>
/// <remarks>
/// The engine computes all gas; the host only answers questions and applies changes. Nested calls and creates go
/// through <see cref="Call"/>: the host takes a snapshot, transfers value, dispatches precompiles, runs the callee's code
/// on an engine, and reverts the snapshot when the frame fails.
/// </remarks>
public interface IEvmHost
{
    /// <summary>
    /// True when the account exists; from Spurious Dragon on, an empty account (no code, nonce 0, balance 0) counts as
    /// not existing (EIP-161). CALL's new-account charge depends on it.
    /// </summary>
    bool AccountExists(in Address address);

    /// <summary>The balance (zero for a missing account).</summary>
    UInt256 GetBalance(in Address address);

    /// <summary>The code size in bytes.</summary>
    int GetCodeSize(in Address address);

    /// <summary>EXTCODEHASH: keccak256 of the code, or zero for a non-existent or empty account (EIP-1052, EIP-161).</summary>
    Hash256 GetCodeHash(in Address address);

    /// <summary>The account's code (empty when none).</summary>
    ReadOnlyMemory<byte> GetCode(in Address address);

    /// <summary>The current value of a storage slot.</summary>
    UInt256 GetStorage(in Address address, in UInt256 key);

    /// <summary>The value the slot had at the start of the transaction (EIP-1283/2200 net gas metering).</summary>
    UInt256 GetOriginalStorage(in Address address, in UInt256 key);

    /// <summary>Writes a storage slot.</summary>
    void SetStorage(in Address address, in UInt256 key, in UInt256 value);

    /// <summary>TLOAD (EIP-1153).</summary>
    UInt256 GetTransientStorage(in Address address, in UInt256 key);

    /// <summary>TSTORE (EIP-1153).</summary>
    void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value);

    /// <summary>Marks an account warm and says whether it was cold (EIP-2929).</summary>
    AccessStatus AccessAccount(in Address address);

    /// <summary>Marks a storage slot warm and says whether it was cold (EIP-2929).</summary>
    AccessStatus AccessStorage(in Address address, in UInt256 key);

    /// <summary>
    /// SLOAD's host work in one call: <paramref name="slot"/> holds the key and is replaced by the slot's current
    /// value (as SLOAD replaces its stack item); when <paramref name="trackAccess"/> (EIP-2929, Berlin on),
    /// <see cref="AccessStorage"/>'s effect and answer in <paramref name="access"/> (else <see cref="AccessStatus.Warm"/>).
    /// The default calls those two members; a host can answer with one lookup. Nothing is returned by value, so that
    /// a host's cache hit writes the value once and its miss path can be a call in tail position.
    /// </summary>
    void LoadStorage(in Address address, ref UInt256 slot, bool trackAccess, out AccessStatus access)
    {
        access = trackAccess ? AccessStorage(address, slot) : AccessStatus.Warm;
        slot = GetStorage(address, slot);
    }

    /// <summary>
    /// What SSTORE's gas depends on, in one call: the slot's current and original values and, when
    /// <paramref name="trackAccess"/> (EIP-2929, Berlin on), <see cref="AccessStorage"/>'s effect and answer (else
    /// <see cref="AccessStatus.Warm"/>). The default calls those members; a host can answer with one lookup.
    /// </summary>
    void ReadSlotForStore(in Address address, in UInt256 key, bool trackAccess, out UInt256 current, out UInt256 original, out AccessStatus access)
    {
        access = trackAccess ? AccessStorage(address, key) : AccessStatus.Warm;
        current = GetStorage(address, key);
        original = GetOriginalStorage(address, key);
    }

    /// <summary>Records a log (LOG0–LOG4).</summary>
    void EmitLog(in Address address, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics);

    /// <summary>Runs a nested call or create and returns its result (the host enforces snapshot and revert).</summary>
    ExecutionResult Call(in Message message);

    /// <summary>
    /// SELFDESTRUCT: moves the balance to <paramref name="beneficiary"/> and registers the account for deletion (per the
    /// fork's rules, EIP-6780 in Cancun). Returns true when the account was not yet registered (pre-London refund).
    /// </summary>
    bool SelfDestruct(in Address address, in Address beneficiary);

    /// <summary>BLOCKHASH for a block number the engine has already checked to be in the last 256.</summary>
    Hash256 GetBlockHash(long number);

    /// <summary>The block and transaction context.</summary>
    TxContext Context { get; }
}

/// <summary>
/// Something that executes EVM code for one frame: the interpreter, the JIT, or the tiered engine that switches between
/// them. Engines are stateless with respect to the world; everything goes through <see cref="IEvmHost"/>.
/// </summary>
public interface IExecutionEngine
{
    /// <summary>A short name ("interpreter", "jit", "tiered").</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="code"/> for <paramref name="message"/>. <paramref name="codeHash"/> identifies the code for
    /// caches (<see cref="Hash256.Zero"/> when unknown, e.g. init code).
    /// </summary>
    ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash);
}

/// <summary>The engines Jevm offers. Tests enumerate this so that every engine runs every test.</summary>
public enum EngineKind
{
    /// <summary>The reference interpreter.</summary>
    Interpreter,
    /// <summary>Compile every frame's code on first use.</summary>
    Jit,
    /// <summary>Interpret cold code, compile hot code in the background.</summary>
    Tiered,
}
