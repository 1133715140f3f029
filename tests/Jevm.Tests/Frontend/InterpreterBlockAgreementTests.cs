using FsCheck.Xunit;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Numerics;
using Jevm.Tests.Support;

namespace Jevm.Tests.Frontend;

/// <summary>
/// The block summaries against the reference interpreter: run a program under a recording tracer, cut the traced
/// steps of the top frame into executed blocks, and check that for every block the interpreter ran, the summary's
/// static gas is the sum of the base costs the interpreter charged, its stack change and maximum growth are the
/// heights the interpreter reached, the gas corrections give the interpreter's exact remaining gas at each gas
/// point, and the block-level checks fail exactly when the interpreter failed for that reason.
/// </summary>
public class InterpreterBlockAgreementTests
{
    private static readonly Fork[] s_forks = [Fork.Frontier, Fork.Byzantium, Fork.Istanbul, Fork.Berlin, Fork.Shanghai, Fork.Cancun, Fork.Osaka];

    private const int MaxStack = 1024;

    /// <summary>Runs <paramref name="code"/> and checks every executed block; returns how many blocks ran to completion.</summary>
    internal static int CheckAgainstInterpreter(byte[] code, Fork fork, long gas, byte[] input)
    {
        var tracer = new RecordingTracer();
        var host = new TestHost(EngineKind.Interpreter, fork, tracer);
        var result = host.Run(code, gas, input: input);
        var analysis = BytecodeAnalysis.Analyze(code, fork);

        // The top frame's steps inside the code (the implicit STOP past the end is traced at pc = code length).
        var steps = tracer.Steps.FindAll(s => s.Depth == 1 && s.Pc < code.Length);
        int completed = 0;
        for (int k = 0; k < steps.Count;)
        {
            int b = analysis.BlockIndexAt(steps[k].Pc);
            var block = analysis.Blocks[b];
            Assert.Equal(block.Start, steps[k].Pc); // control only ever enters a block at its start
            int m = 1;
            while (k + m < steps.Count && steps[k + m].Pc != analysis.Blocks[analysis.BlockIndexAt(steps[k + m].Pc)].Start) m++;
            Assert.True(m <= block.InstructionCount);
            bool last = k + m == steps.Count;
            // A block "ran" when every instruction was traced and either control went on or the frame did not fail.
            bool failedHere = last && result.Status is not (StatusCode.Success or StatusCode.Revert);
            long gasEntry = steps[k].Gas;
            int h0 = steps[k].Stack.Length;

            if (!failedHere)
            {
                Assert.Equal(block.InstructionCount, m);
                long sum = 0;
                for (int i = 0; i < m; i++) sum += steps[k + i].GasCost;
                Assert.Equal(block.StaticGas, sum);
                // Block-level checks must accept every block the interpreter completed.
                Assert.True(h0 >= block.StackRequired, $"block at {block.Start}: entry height {h0} < required {block.StackRequired}");
                Assert.True(h0 + block.StackMaxGrowth <= MaxStack);
                Assert.True(gasEntry >= block.StaticGas);
                if (!last)
                {
                    int exit = steps[k + m].Stack.Length;
                    Assert.Equal(block.StackChange, exit - h0);
                    int max = 0;
                    for (int i = 1; i <= m; i++) max = Math.Max(max, (i < m ? steps[k + i].Stack.Length : exit) - h0);
                    Assert.Equal(block.StackMaxGrowth, max);
                }
                // Gas corrections: with the block's static gas charged on entry, remaining + correction is exactly
                // what the interpreter has after the instruction's base cost (and all dynamic costs before it).
                foreach (var p in analysis.GasPointsOf(b))
                {
                    var s = steps[k + p.Index];
                    Assert.Equal(p.Pc, s.Pc);
                    long staticBefore = 0;
                    for (int i = 0; i < p.Index; i++) staticBefore += steps[k + i].GasCost;
                    long dynamicBefore = gasEntry - s.Gas - staticBefore;
                    long blockLevelRemaining = gasEntry - block.StaticGas - dynamicBefore;
                    Assert.Equal(s.Gas - s.GasCost, blockLevelRemaining + p.Correction);
                }
                completed++;
            }
            else
            {
                // The interpreter failed in this block: the block-level check must predict stack failures exactly,
                // and a block without dynamic gas can only run out of gas when its static gas exceeds what it had.
                switch (result.Status)
                {
                    case StatusCode.StackUnderflow:
                        Assert.True(h0 < block.StackRequired);
                        break;
                    case StatusCode.StackOverflow:
                        Assert.True(h0 >= block.StackRequired && h0 + block.StackMaxGrowth > MaxStack);
                        break;
                    case StatusCode.OutOfGas when (block.Flags & BlockFlags.DynamicGas) == 0:
                        Assert.True(gasEntry < block.StaticGas);
                        break;
                }
            }
            k += m;
        }
        return completed;
    }

    private static byte[] InputFor(byte[] code, int seed)
    {
        // Calldata word 0 names a JUMPDEST when there is one, so dynamic jumps (CALLDATALOAD; JUMP) go somewhere.
        var rng = new Random(seed);
        var map = Jevm.Evm.Analysis.JumpDestMap.Analyze(code);
        var dests = new List<int>();
        for (int pc = 0; pc < code.Length; pc++) if (map.IsValid((ulong)pc)) dests.Add(pc);
        var input = new byte[32];
        int dest = dests.Count > 0 ? dests[rng.Next(dests.Count)] : rng.Next(256);
        new UInt256((ulong)dest).WriteBigEndian(input);
        return input;
    }

    [Property(MaxTest = 120)]
    public void StructuredProgramsAgreeWithTheInterpreter(int seed, byte forkPick)
    {
        var code = ProgramGenerator.Generate(seed);
        CheckAgainstInterpreter(code, s_forks[forkPick % s_forks.Length], 30_000 + (seed & 0xffff), InputFor(code, seed));
    }

    [Property(MaxTest = 120)]
    public void RandomBytesAgreeWithTheInterpreter(byte[] code, byte forkPick)
    {
        CheckAgainstInterpreter(code, s_forks[forkPick % s_forks.Length], 100_000, InputFor(code, code.Length));
    }

    [Fact]
    public void TheAgreementCheckCoversManyBlocksAndEveryFailureKind()
    {
        int completed = 0;
        var statuses = new HashSet<StatusCode>();
        for (int seed = 0; seed < 300; seed++)
        {
            var code = ProgramGenerator.Generate(seed);
            var fork = s_forks[seed % s_forks.Length];
            completed += CheckAgainstInterpreter(code, fork, 30_000 + seed * 97, InputFor(code, seed));
            statuses.Add(new TestHost(EngineKind.Interpreter, fork).Run(code, 30_000 + seed * 97, input: InputFor(code, seed)).Status);
        }
        Assert.True(completed > 1000, $"only {completed} blocks ran to completion");
        Assert.Contains(StatusCode.Success, statuses);
        Assert.Contains(StatusCode.StackUnderflow, statuses);
        Assert.Contains(StatusCode.OutOfGas, statuses);
    }

    [Fact]
    public void DeepStackOverflowIsPredictedByTheBlockCheck()
    {
        // A loop pushing two items per iteration: overflows at 1024 inside the loop block.
        // 0: JUMPDEST; 1: PUSH1 1; 3: PUSH1 0; 5: JUMP
        var code = Jevm.Encoding.Hex.Decode("5b6001600056");
        var tracer = new RecordingTracer();
        var result = new TestHost(EngineKind.Interpreter, Fork.Cancun, tracer).Run(code, 1_000_000);
        Assert.Equal(StatusCode.StackOverflow, result.Status);
        CheckAgainstInterpreter(code, Fork.Cancun, 1_000_000, []);
    }
}
