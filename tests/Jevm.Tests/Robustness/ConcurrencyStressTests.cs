using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Codegen;
using Jevm.Tests.Support;

namespace Jevm.Tests.Robustness;

/// <summary>
/// One engine shared by 32 threads at once, running a seeded mix of generated contracts (arithmetic, memory, storage,
/// logs, loops, calls into other contracts, reverts, failures): some cold (run once), some hot, and under tiered mode
/// some being compiled in the background while other threads run them. Every result (status, gas left, output,
/// state root, logs hash) must equal the sequential interpreter's.
/// </summary>
public sealed class ConcurrencyStressTests
{
    private const int Threads = 32, RunsPerThread = 24, Programs = 24, Seed = 20261125;
    private const long Gas = 3_000_000;

    private static readonly Address[] s_callees =
    [
        Address.Parse("0x00000000000000000000000000000000000ca001"),
        Address.Parse("0x00000000000000000000000000000000000ca002"),
        Address.Parse("0x00000000000000000000000000000000000ca003"),
    ];

    private sealed record Outcome(StatusCode Status, long GasLeft, string Output, Hash256 Root, Hash256 Logs);

    private static (byte[] Code, byte[] Input)[] MakePrograms(int salt, out (Address, byte[])[] callees)
    {
        var cs = new (Address, byte[])[s_callees.Length];
        for (int i = 0; i < cs.Length; i++) cs[i] = (s_callees[i], new ProgramGenerator(Seed + salt * 1000 + 500 + i).Build(8, allowCalls: false));
        callees = cs;
        var programs = new (byte[], byte[])[Programs];
        var random = new Random(Seed + salt);
        for (int i = 0; i < Programs; i++)
        {
            var input = new byte[random.Next(0, 70)];
            random.NextBytes(input);
            programs[i] = (new ProgramGenerator(Seed + salt * 1000 + i, s_callees).Build(4 + random.Next(16)), input);
        }
        return programs;
    }

    private static Outcome Run(IExecutionEngine engine, byte[] code, byte[] input, (Address, byte[])[] callees, EvmExecutor? executor = null)
    {
        var run = new WorldStateCall(engine, code, others: callees);
        var r = executor is null ? run.ViaHost(Gas, input) : executor.Execute(run.Host, run.Message(Gas, input));
        return new Outcome(r.Status, r.GasLeft, Convert.ToHexString(r.Output ?? []), run.State.ComputeStateRoot(), run.State.ComputeLogsHash());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Thirty_two_threads_on_one_engine_agree_with_a_sequential_run(EngineKind kind) =>
        // Tiered compiles after a few runs here (not by gas), so that codes are cold, hot and being compiled at once.
        Stress((int)kind, Engines.Create(kind, tiering: new TieringPolicy { HotExecutions = 3 }), null);

    [Fact]
    public void Thirty_two_threads_on_one_EvmExecutor_agree_with_a_sequential_run()
    {
        // EvmExecutor.Execute runs the top frame only (EVMC's execute: its own snapshot is the host's), so the
        // reference is a sequential interpreter executor called the same way.
        var executor = new EvmExecutor(new EvmOptions { Engine = EngineKind.Tiered, Fork = Fork.Cancun, Tiering = new TieringPolicy { HotExecutions = 3 } });
        var reference = new EvmExecutor(new EvmOptions { Engine = EngineKind.Interpreter, Fork = Fork.Cancun });
        Stress(7, executor.Engine, executor, reference);
    }

    private static void Stress(int salt, IExecutionEngine engine, EvmExecutor? executor, EvmExecutor? referenceExecutor = null)
    {
        // Fresh programs per run, so each starts cold in the code cache.
        var programs = MakePrograms(salt, out var callees);
        var reference = new Outcome[Programs];
        var interpreter = referenceExecutor?.Engine ?? Engines.Create(EngineKind.Interpreter);
        for (int i = 0; i < Programs; i++) reference[i] = Run(interpreter, programs[i].Code, programs[i].Input, callees, referenceExecutor);

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int seed = Seed + t;
            threads[t] = new Thread(() =>
            {
                var random = new Random(seed);
                start.SignalAndWait();
                for (int n = 0; n < RunsPerThread; n++)
                {
                    // Skewed: the first programs are hot (run by every thread), the last ones cold (run rarely).
                    int i = Math.Min(Programs - 1, (int)(Programs * Math.Pow(random.NextDouble(), 2.5)));
                    try
                    {
                        var o = Run(engine, programs[i].Code, programs[i].Input, callees, executor);
                        if (o != reference[i]) failures.Enqueue($"program {i}: {o} != {reference[i]}");
                    }
                    catch (Exception e) { failures.Enqueue($"program {i}: {e}"); }
                }
            }, 16 * 1024 * 1024);
            threads[t].Start();
        }
        foreach (var th in threads) Assert.True(th.Join(TimeSpan.FromSeconds(120)), "a thread did not finish in time");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
    }
}
