using Jevm.Cli.Bench;
using Jevm.Evm;
using Jevm.Primitives;

namespace Jevm.Tests.Bench;

/// <summary>The bench times engines in turns, so that a slow spell of a shared machine falls on every engine alike.</summary>
public class InterleavedTimingTests
{
    // Runs the interpreter after a 2-ms sleep, logging each call under its name.
    private sealed class LoggingEngine(string name, List<string> log) : IExecutionEngine
    {
        private readonly Jevm.Evm.Interpreter _inner = new();

        public string Name => name;

        public ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash)
        {
            log.Add(name);
            Thread.Sleep(2);
            return _inner.Execute(host, fork, message, code, codeHash);
        }
    }

    [Fact]
    public void Engines_take_turns_while_they_are_timed()
    {
        var log = new List<string>();
        var answer = new BenchCase("t/answer", Convert.FromHexString("602a60005260206000f3"), []);
        var engines = new IExecutionEngine[] { new LoggingEngine("turns-a", log), new LoggingEngine("turns-b", log) };
        var measured = BenchRunner.Measure(new BenchExecutor(answer, Fork.Cancun), engines, new BenchSettings(MinRuns: 40, MinSeconds: 0, TurnMs: 10));
        Assert.All(measured, m => Assert.Equal(40, m.Runs));
        Assert.All(measured, m => Assert.Empty(m.Problems));
        // Each turn's median is kept, in order: at least eight turns of at most five 2-ms executions make 40 runs, and
        // no turn's median is below the fastest execution.
        Assert.All(measured, m => Assert.True(m.TurnMedianMs.Count >= 8, $"{m.TurnMedianMs.Count} turns"));
        Assert.All(measured, m => Assert.All(m.TurnMedianMs, t => Assert.True(t >= m.MinMs, $"turn median {t} below the minimum {m.MinMs}")));
        // The timed executions and the untimed first execution of each turn are the last calls: turns of at most five
        // 2-ms executions (10 ms of timed ones, and one more), so the engines change places several times in the last 80
        // calls (one engine timed after the other would change once; three is the bound kept even when one engine's
        // estimate, made on a loaded machine, gives it turns of one execution). The last stretch is left out of the
        // longest: an engine whose estimate came out higher has smaller turns and may go on alone once the other has
        // its runs.
        var timed = log.GetRange(log.Count - 80, 80);
        int changes = 0, run = 1, longest = 1;
        for (int i = 1; i < timed.Count; i++)
        {
            if (timed[i] == timed[i - 1]) { run++; continue; }
            changes++;
            longest = Math.Max(longest, run);
            run = 1;
        }
        Assert.True(changes >= 3, $"{changes} changes of engine in the timed executions");
        Assert.True(longest <= 6, $"a turn of {longest} executions");
    }
}
