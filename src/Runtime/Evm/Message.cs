using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Evm;

/// <summary>What kind of frame a <see cref="Message"/> starts.</summary>
public enum CallKind : byte
{
    /// <summary>CALL (and STATICCALL, with <see cref="Message.IsStatic"/>), or a transaction to an account.</summary>
    Call,
    /// <summary>DELEGATECALL: the caller's storage, sender and value, another account's code.</summary>
    DelegateCall,
    /// <summary>CALLCODE: the caller's storage, another account's code.</summary>
    CallCode,
    /// <summary>CREATE, or a contract-creating transaction.</summary>
    Create,
    /// <summary>CREATE2.</summary>
    Create2,
}

/// <summary>A message: the input of one execution frame (EVMC's evmc_message).</summary>
public readonly record struct Message
{
    /// <summary>The kind of frame.</summary>
    public CallKind Kind { get; init; }
    /// <summary>True in a static context (STATICCALL and below): no state changes allowed.</summary>
    public bool IsStatic { get; init; }
    /// <summary>Call depth: 0 for the transaction's own frame.</summary>
    public int Depth { get; init; }
    /// <summary>Gas available to the frame.</summary>
    public long Gas { get; init; }
    /// <summary>The account whose storage and balance the frame uses (for a create: the new address, set by the host).</summary>
    public Address Recipient { get; init; }
    /// <summary>The caller (CALLER).</summary>
    public Address Sender { get; init; }
    /// <summary>The account whose code runs (differs from <see cref="Recipient"/> for DELEGATECALL/CALLCODE).</summary>
    public Address CodeAddress { get; init; }
    /// <summary>The value transferred, or for DELEGATECALL the apparent value (CALLVALUE).</summary>
    public UInt256 Value { get; init; }
    /// <summary>Call data, or for a create the init code.</summary>
    /// <remarks>
    /// For the CALL family the engines pass a view of the caller's memory, not a copy (as EVMC does): it is valid
    /// until <see cref="IEvmHost.Call"/> returns, so a host that keeps a message beyond that must copy the input.
    /// A create's init code is always a copy of its own.
    /// </remarks>
    public ReadOnlyMemory<byte> Input { get; init; }
    /// <summary>CREATE2's salt.</summary>
    public UInt256 Salt { get; init; }
}

/// <summary>How a frame ended. Only <see cref="Success"/> keeps state changes; <see cref="Revert"/> also returns unused gas.</summary>
public enum StatusCode : byte
{
    /// <summary>STOP, RETURN, SELFDESTRUCT, or the end of the code.</summary>
    Success = 0,
    /// <summary>REVERT: state rolled back, remaining gas returned, output kept.</summary>
    Revert,
    /// <summary>Not enough gas for an instruction or memory expansion.</summary>
    OutOfGas,
    /// <summary>The designated INVALID instruction (0xFE).</summary>
    InvalidInstruction,
    /// <summary>An opcode not defined in the fork.</summary>
    UndefinedInstruction,
    /// <summary>More than 1024 stack items.</summary>
    StackOverflow,
    /// <summary>Too few stack items.</summary>
    StackUnderflow,
    /// <summary>JUMP/JUMPI to a byte that is not a JUMPDEST.</summary>
    BadJumpDestination,
    /// <summary>RETURNDATACOPY past the end of the return data.</summary>
    InvalidMemoryAccess,
    /// <summary>A state change in a static context.</summary>
    StaticModeViolation,
    /// <summary>Call depth over 1024 (the caller sees a failed call, not this frame).</summary>
    CallDepthExceeded,
    /// <summary>Value transfer larger than the sender's balance.</summary>
    InsufficientBalance,
    /// <summary>A precompile rejected its input.</summary>
    PrecompileFailure,
    /// <summary>Created code is invalid (starts with 0xEF, EIP-3541) .</summary>
    ContractValidationFailure,
    /// <summary>Created code larger than the limit (EIP-170).</summary>
    CodeSizeExceeded,
    /// <summary>CREATE/CREATE2 to an address that already has code or nonce.</summary>
    CreateCollision,
    /// <summary>Init code larger than the limit (EIP-3860).</summary>
    InitCodeSizeExceeded,
    /// <summary>A nonce would overflow 2^64−1 (EIP-2681).</summary>
    NonceOverflow,
    /// <summary>An unexpected error inside the engine or the host; see <see cref="ExecutionResult.Error"/>.</summary>
    InternalError,
}

/// <summary>The outcome of one frame.</summary>
public readonly record struct ExecutionResult
{
    /// <summary>How the frame ended.</summary>
    public StatusCode Status { get; init; }
    /// <summary>Gas left: returned to the caller on success and revert, zero on other failures.</summary>
    public long GasLeft { get; init; }
    /// <summary>The refund counter accumulated by this frame and its successful sub-frames (may be negative within a transaction).</summary>
    public long GasRefund { get; init; }
    /// <summary>RETURN or REVERT data.</summary>
    public byte[] Output { get; init; }
    /// <summary>For a successful create: the new account.</summary>
    public Address CreatedAddress { get; init; }
    /// <summary>For <see cref="StatusCode.InternalError"/>: the exception that caused it.</summary>
    public Exception? Error { get; init; }

    /// <summary>True for <see cref="StatusCode.Success"/>.</summary>
    public bool IsSuccess => Status == StatusCode.Success;

    /// <summary>A failure that consumes all gas and returns nothing.</summary>
    public static ExecutionResult Failure(StatusCode status) => new() { Status = status, GasLeft = 0, Output = [] };
}
