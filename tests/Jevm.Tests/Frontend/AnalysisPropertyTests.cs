using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Tests.Frontend;

public class AnalysisPropertyTests
{
    private static readonly Fork[] s_forks = [Fork.Frontier, Fork.TangerineWhistle, Fork.Byzantium, Fork.Istanbul, Fork.Berlin, Fork.Shanghai, Fork.Cancun, Fork.Osaka];

    /// <summary>Checks every invariant of the analysis against the naive model; returns nothing, throws on a violation.</summary>
    internal static void CheckInvariants(byte[] code, Fork fork)
    {
        var a = BytecodeAnalysis.Analyze(code, fork);
        var blocks = a.Blocks;

        // The blocks partition [0, code length) in order.
        int expectedStart = 0;
        for (int i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(expectedStart, blocks[i].Start);
            Assert.True(blocks[i].End > blocks[i].Start);
            expectedStart = blocks[i].End;
        }
        Assert.Equal(code.Length, expectedStart);

        // Every valid JUMPDEST starts a block, and the block knows it.
        for (int pc = 0; pc < code.Length; pc++)
            if (a.JumpDests.IsValid((ulong)pc))
            {
                int b = a.BlockIndexAt(pc);
                Assert.Equal(pc, blocks[b].Start);
                Assert.True((blocks[b].Flags & BlockFlags.JumpDest) != 0);
            }

        // Every summary equals the naive recomputation.
        var naive = NaiveAnalysis.Analyze(code, fork);
        Assert.Equal(naive.Count, blocks.Length);
        for (int i = 0; i < naive.Count; i++)
        {
            var n = naive[i];
            var b = blocks[i];
            Assert.Equal(n.Start, b.Start);
            Assert.Equal(n.End, b.End);
            Assert.Equal(n.Count, b.InstructionCount);
            Assert.Equal(n.End_, b.EndKind);
            Assert.Equal(n.Gas, b.StaticGas);
            Assert.Equal(n.Need, b.StackRequired);
            Assert.Equal(n.Max, b.StackMaxGrowth);
            Assert.Equal(n.Delta, b.StackChange);
            var points = a.GasPointsOf(i);
            Assert.Equal(n.Points.Count, points.Length);
            for (int p = 0; p < points.Length; p++)
            {
                Assert.Equal(n.Points[p].Pc, points[p].Pc);
                Assert.Equal(n.Points[p].Kind, points[p].Kind);
                Assert.Equal(n.Points[p].Correction, points[p].Correction);
                Assert.Equal(b.StaticGas, points[p].GasThrough + points[p].Correction);
            }
            // Edges: fall-through to the next block, static targets to the block at the pushed JUMPDEST.
            bool fallsThrough = n.End_ is BlockEndKind.FallThrough || (n.End_ == BlockEndKind.JumpI && i + 1 < naive.Count);
            Assert.Equal(fallsThrough ? i + 1 : -1, b.FallThrough);
            Assert.Equal(n.Dynamic, (b.Flags & BlockFlags.DynamicJump) != 0);
            if (n.PushedTarget is int t)
            {
                bool valid = t < code.Length && a.JumpDests.IsValid((ulong)t);
                Assert.Equal(valid ? a.BlockIndexAt(t) : -1, b.StaticTarget);
                Assert.Equal(!valid, (b.Flags & BlockFlags.InvalidJumpTarget) != 0);
                if (valid) Assert.Equal(t, blocks[b.StaticTarget].Start);
            }
            else Assert.Equal(-1, b.StaticTarget);
        }
    }

    [Property(MaxTest = 300)]
    public void RandomBytesSatisfyTheInvariants(byte[] code, byte forkPick)
    {
        CheckInvariants(code, s_forks[forkPick % s_forks.Length]);
    }

    [Property(MaxTest = 200)]
    public Property RandomBytesRichInOpcodesSatisfyTheInvariants() =>
        Prop.ForAll(
            Gen.Elements<byte>(0x00, 0x01, 0x56, 0x57, 0x5b, 0x5a, 0x5f, 0x60, 0x61, 0x7f, 0x80, 0x90, 0xf1, 0xfe, 0x0c, 0x55, 0x20)
                .ArrayOf().ToArbitrary(),
            code => CheckInvariants(code, Fork.Cancun));

    [Property(MaxTest = 200)]
    public void StructuredProgramsSatisfyTheInvariants(int seed, byte forkPick)
    {
        CheckInvariants(ProgramGenerator.Generate(seed), s_forks[forkPick % s_forks.Length]);
    }

    [Fact]
    public void StructuredProgramsHaveStaticAndDynamicJumps()
    {
        // The generator must actually exercise what the properties claim to cover.
        int staticJumps = 0, dynamicJumps = 0, loops = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var a = BytecodeAnalysis.Analyze(ProgramGenerator.Generate(seed), Fork.Cancun);
            for (int i = 0; i < a.Blocks.Length; i++)
            {
                var b = a.Blocks[i];
                if (b.StaticTarget >= 0) { staticJumps++; if (b.StaticTarget <= i) loops++; }
                if ((b.Flags & BlockFlags.DynamicJump) != 0) dynamicJumps++;
            }
        }
        Assert.True(staticJumps > 50, $"static jumps: {staticJumps}");
        Assert.True(loops > 20, $"backward jumps: {loops}");
        Assert.True(dynamicJumps > 50, $"dynamic jumps: {dynamicJumps}");
    }
}
