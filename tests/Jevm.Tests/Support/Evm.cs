using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Tests.Support;

/// <summary>Shortcuts for engine tests.</summary>
public static class Evm
{
    public const long DefaultGas = 1_000_000;

    /// <summary>Runs <paramref name="code"/> on a fresh <see cref="TestHost"/>.</summary>
    public static ExecutionResult Run(EngineKind kind, Fork fork, byte[] code, long gas = DefaultGas, byte[]? input = null, bool isStatic = false)
        => new TestHost(kind, fork).Run(code, gas, input: input, isStatic: isStatic);

    /// <summary>The 32-byte output read as a word.</summary>
    public static UInt256 Word(this ExecutionResult r)
    {
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(32, r.Output.Length);
        return UInt256.ReadBigEndian(r.Output);
    }

    /// <summary>Gas used by a frame started with <paramref name="gas"/>.</summary>
    public static long Used(this ExecutionResult r, long gas = DefaultGas) => gas - r.GasLeft;

    public static UInt256 U(string hex) => UInt256.Parse(hex);

    /// <summary>Runs <paramref name="action"/> on a thread with a 256 MiB stack (deep call chains), rethrowing failures.</summary>
    public static void OnLargeStack(Action action)
    {
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { error = e; }
        }, 256 * 1024 * 1024);
        t.Start();
        t.Join();
        if (error is not null) throw new AggregateException(error);
    }
}
