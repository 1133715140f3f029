using Jevm.Evm;

namespace Jevm.Cli.Bench;

/// <summary>
/// One benchmark case: runtime code plus calldata, run as a top-level call on a fresh state, and what the result must
/// be when that is known (from a manifest). Embedded programs have no expectations here; their tests check them.
/// </summary>
internal sealed record BenchCase(string Name, byte[] Code, byte[] Calldata)
{
    /// <summary>One line saying what the case exercises.</summary>
    public string Description { get; init; } = "";

    /// <summary>The oldest fork the code runs on.</summary>
    public Fork MinFork { get; init; } = Fork.Frontier;

    /// <summary>The expected return data as lower-case hex without 0x (null: unknown).</summary>
    public string? ExpectedOutputHex { get; init; }

    /// <summary>Expected figures per fork name in lower case ("cancun"), from the manifest's <c>gas</c> object.</summary>
    public IReadOnlyDictionary<string, ExpectedGas?> ExpectedGasByFork { get; init; } = new Dictionary<string, ExpectedGas?>();

    /// <summary>The expectations for <paramref name="fork"/>; <paramref name="known"/> is false when the manifest has none.</summary>
    public ExpectedGas? ExpectedGasFor(Fork fork, out bool known)
    {
        known = ExpectedGasByFork.TryGetValue(fork.ToString().ToLowerInvariant(), out var g);
        return g;
    }
}

/// <summary>
/// The manifest's gas figures for one fork: execution gas (before refund, without intrinsic gas), the refund counter
/// and the receipt's gas used. A null <see cref="ExpectedGas"/> (known but absent) means the code cannot run there.
/// </summary>
internal sealed record ExpectedGas(long ExecutionGas, long Refund, long TxGasUsed);
