using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.StateTests;

/// <summary>One test of a state-test file: the block, the pre-state, the transaction template and the expected results.</summary>
public sealed class StateTest
{
    /// <summary>The file it came from.</summary>
    public required string File { get; init; }
    /// <summary>The test's name (the key in the file).</summary>
    public required string Name { get; init; }
    /// <summary>The block environment.</summary>
    public required BlockEnvironment Block { get; init; }
    /// <summary>The pre-state (clone it before running).</summary>
    public required WorldState Pre { get; init; }
    /// <summary>The transaction template.</summary>
    public required TransactionTemplate Transaction { get; init; }
    /// <summary>The expected results, one per (fork, data, gas, value) combination, in file order.</summary>
    public required IReadOnlyList<StateTestCase> Cases { get; init; }
}

/// <summary>The <c>transaction</c> object of a state test: arrays of data, gas limits and values, and shared fields.</summary>
public sealed class TransactionTemplate
{
    /// <summary>Call data or init code per data index.</summary>
    public required byte[][] Data { get; init; }
    /// <summary>Access list per data index (null where none).</summary>
    public required AccessListEntry[]?[] AccessLists { get; init; }
    /// <summary>Gas limits per gas index (null where the number does not fit in 63 bits).</summary>
    public required long?[] GasLimits { get; init; }
    /// <summary>Values per value index (null where not a valid 256-bit number, e.g. the <c>0x:bigint</c> case).</summary>
    public required UInt256?[] Values { get; init; }
    /// <summary>The nonce.</summary>
    public ulong Nonce { get; init; }
    /// <summary>The recipient, null for a creation.</summary>
    public Address? To { get; init; }
    /// <summary>The sender.</summary>
    public Address Sender { get; init; }
    /// <summary>Gas price (legacy and access-list transactions).</summary>
    public UInt256? GasPrice { get; init; }
    /// <summary>EIP-1559 fee cap.</summary>
    public UInt256? MaxFeePerGas { get; init; }
    /// <summary>EIP-1559 priority fee cap.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }
    /// <summary>EIP-4844 blob fee cap.</summary>
    public UInt256? MaxFeePerBlobGas { get; init; }
    /// <summary>EIP-4844 versioned hashes (null when not a blob transaction).</summary>
    public Hash256[]? BlobVersionedHashes { get; init; }
    /// <summary>EIP-7702 authorization list (null when not a set-code transaction).</summary>
    public AuthorizationTuple[]? AuthorizationList { get; init; }
    /// <summary>True when the template has an EIP-7702 authorization list (type 4).</summary>
    public bool HasAuthorizationList => AuthorizationList is not null;
}

/// <summary>One case: a fork and the indexes that pick the transaction, with the expected roots.</summary>
public sealed class StateTestCase
{
    /// <summary>The fork name as written in the file.</summary>
    public required string ForkName { get; init; }
    /// <summary>The fork, or null when the name is unknown.</summary>
    public Fork? Fork { get; init; }
    /// <summary>Data index.</summary>
    public int DataIndex { get; init; }
    /// <summary>Gas index.</summary>
    public int GasIndex { get; init; }
    /// <summary>Value index.</summary>
    public int ValueIndex { get; init; }
    /// <summary>Expected state root.</summary>
    public Hash256 ExpectedRoot { get; init; }
    /// <summary>Expected logs hash.</summary>
    public Hash256 ExpectedLogs { get; init; }
    /// <summary>The expected rejection, when the transaction is invalid.</summary>
    public string? ExpectException { get; init; }
    /// <summary>The EIP-2718 type from <c>txbytes</c>, or null when absent.</summary>
    public int? TxType { get; init; }
}

/// <summary>How a case ended.</summary>
public enum CaseOutcome
{
    /// <summary>Roots (and the rejection, if expected) match.</summary>
    Passed,
    /// <summary>A mismatch or an error.</summary>
    Failed,
    /// <summary>Not judged: needs something Jevm does not have yet (see the reason).</summary>
    Skipped,
}

/// <summary>The result of one case.</summary>
public sealed class CaseResult
{
    /// <summary>The test.</summary>
    public required StateTest Test { get; init; }
    /// <summary>The case.</summary>
    public required StateTestCase Case { get; init; }
    /// <summary>The outcome.</summary>
    public CaseOutcome Outcome { get; init; }
    /// <summary>Why it failed or was skipped.</summary>
    public string? Reason { get; init; }
    /// <summary>The computed state root.</summary>
    public Hash256 ActualRoot { get; init; }
    /// <summary>The computed logs hash.</summary>
    public Hash256 ActualLogs { get; init; }
    /// <summary>Gas used by the transaction.</summary>
    public long GasUsed { get; init; }
    /// <summary>The top frame's output.</summary>
    public byte[] Output { get; init; } = [];

    /// <summary>"file test fork d/g/v" — how reports and the known-failures list name a case.</summary>
    public string Id => $"{Test.Name} {Case.ForkName} d{Case.DataIndex} g{Case.GasIndex} v{Case.ValueIndex}";
}
