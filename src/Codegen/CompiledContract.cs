using System.Reflection.Emit;
using Jevm.Evm;
using Jevm.Evm.Analysis;
using Jevm.Primitives;

namespace Jevm.Codegen;

/// <summary>
/// What a compiled region method shares with its caller: the frame's gas and stack height while control passes
/// between regions or to the interpreter, and where to continue.
/// </summary>
internal struct JitState
{
    /// <summary>Gas left.</summary>
    public long Gas;

    /// <summary>Stack height.</summary>
    public int Sp;

    /// <summary>The block to enter (on <see cref="RegionExit.Continue"/> and on the first call).</summary>
    public int Block;

    /// <summary>The pc the interpreter resumes at (on <see cref="RegionExit.Fallback"/>).</summary>
    public int Pc;

    /// <summary>
    /// Per segment, the region that holds it: a region passes control to another one with a tail call (no return to
    /// the driver, no stack growth), chosen by this table where the target is computed at run time.
    /// </summary>
    public int[] RegionOf;

    /// <summary>Always zero; regions read it so that the .NET JIT cannot (see RegionBuilder.OrOpaqueZero).</summary>
    public ulong Zero;
}

/// <summary>
/// A compiled region: runs segments of one code from <see cref="JitState.Block"/> until the frame ends (returns a
/// <see cref="StatusCode"/>) or a block's precondition fails (<see cref="RegionExit.Fallback"/>); where control passes
/// to a segment of another region, it tail-calls that region's method. <paramref name="destinations"/> maps a pc to
/// the index of the segment starting at that JUMPDEST, or -1.
/// </summary>
internal delegate int RegionMethod(ExecutionFrame frame, ref JitState state, int[] destinations);

/// <summary>Non-status results of a region method.</summary>
internal static class RegionExit
{
    /// <summary>Control was to pass to another region, and <see cref="JitState.Block"/> is negative: the compile-time probe.</summary>
    public const int Continue = -1;

    /// <summary>Let the interpreter run the rest of the frame from <see cref="JitState.Pc"/>.</summary>
    public const int Fallback = -2;
}

/// <summary>Size figures of one compiled region, as counted while emitting its IL.</summary>
public readonly record struct RegionStats(int FirstSegment, int SegmentCount, int IlBytes, int IlInstructions, int IlBasicBlocks, int LocalRefs)
{
    // RyuJIT's DEFAULT_MIN_OPTS_* thresholds (dotnet/runtime src/coreclr/jit/compiler.h): above any of them a method is
    // compiled with MinOpts (no optimisation).
    internal const int MaxIlBytes = 60_000, MaxIlInstructions = 20_000, MaxBasicBlocks = 2_000, MaxLocalRefs = 8_000;

    /// <summary>True when every figure is under RyuJIT's MinOpts thresholds, so the region is compiled optimised.</summary>
    public bool UnderMinOptsThresholds =>
        IlBytes < MaxIlBytes && IlInstructions < MaxIlInstructions && IlBasicBlocks < MaxBasicBlocks && LocalRefs < MaxLocalRefs;
}

/// <summary>
/// The compiled form of one code for one fork: one <c>DynamicMethod</c> per region of consecutive blocks, the JUMPDEST
/// table they share, and what the interpreter needs to take over a frame. Immutable and thread-safe.
/// </summary>
public sealed class CompiledContract
{
    internal CompiledContract(Hash256 codeHash, Fork fork, int codeLength, byte[] paddedCode, JumpDestMap jumpDests,
        DynamicMethod[] methods, RegionMethod entry, int[] regionOfBlock, int[] destinations, RegionStats[] stats, int blockCount, int segmentCount, TimeSpan compileTime)
    {
        CodeHash = codeHash;
        Fork = fork;
        CodeLength = codeLength;
        PaddedCode = paddedCode;
        JumpDests = jumpDests;
        Methods = methods;
        Entry = entry;
        RegionOfBlock = regionOfBlock;
        Destinations = destinations;
        Stats = stats;
        BlockCount = blockCount;
        SegmentCount = segmentCount;
        CompileTime = compileTime;
    }

    /// <summary>The hash of the compiled code.</summary>
    public Hash256 CodeHash { get; }

    /// <summary>The fork whose rules were compiled in.</summary>
    public Fork Fork { get; }

    /// <summary>The code's length in bytes.</summary>
    public int CodeLength { get; }

    /// <summary>Number of EVM basic blocks.</summary>
    public int BlockCount { get; }

    /// <summary>Number of segments (blocks, with blocks too large for one method cut into several).</summary>
    public int SegmentCount { get; }

    /// <summary>Time spent analysing, emitting and JIT-compiling (the .NET JIT runs eagerly at compile time).</summary>
    public TimeSpan CompileTime { get; }

    /// <summary>The part of <see cref="CompileTime"/> spent analysing the code and emitting IL.</summary>
    public TimeSpan EmitTime { get; init; }

    /// <summary>
    /// The part of <see cref="CompileTime"/> spent in the .NET JIT turning the IL into machine code (zero unless
    /// <see cref="JitOptions.EagerDotNetJit"/>: otherwise each region is compiled when first entered).
    /// </summary>
    public TimeSpan DotNetJitTime { get; init; }

    /// <summary>Per-region IL figures.</summary>
    public IReadOnlyList<RegionStats> RegionFigures => Stats;

    /// <summary>Total IL bytes over all regions.</summary>
    public int IlBytes
    {
        get
        {
            int sum = 0;
            foreach (var s in Stats) sum += s.IlBytes;
            return sum;
        }
    }

    /// <summary>True when every region is under RyuJIT's MinOpts thresholds (the .NET JIT optimised all of it).</summary>
    public bool FullyOptimized
    {
        get
        {
            foreach (var s in Stats)
                if (!s.UnderMinOptsThresholds) return false;
            return true;
        }
    }

    internal byte[] PaddedCode { get; }
    internal JumpDestMap JumpDests { get; }
    // The region methods (the regions call each other; held here so that they live as long as the contract).
    internal DynamicMethod[] Methods { get; }

    /// <summary>The first region's method, where every frame starts (segment 0).</summary>
    internal RegionMethod Entry { get; }
    internal int[] RegionOfBlock { get; }
    internal int[] Destinations { get; }
    internal RegionStats[] Stats { get; }

    /// <summary>Per segment: the pc the interpreter resumes at when the segment's region cannot run.</summary>
    internal int[] ResumePc { get; init; } = [];

    /// <summary>Per segment: gas charged already for it (with its block) that the interpreter will charge again.</summary>
    internal long[] ResumeRefund { get; init; } = [];

    /// <summary>Last use (Environment.TickCount64) for the cache's eviction.</summary>
    internal long LastUsed;

    /// <summary>Records a use now, for the cache's eviction.</summary>
    internal void MarkUsed() => LastUsed = Environment.TickCount64;

    /// <summary>Rough memory held (code copies, tables, IL), for the cache's bound.</summary>
    internal long ApproximateSize => PaddedCode.Length + Destinations.Length * 4L + IlBytes * 4L + 1024;

    /// <summary>
    /// Runs the frame already initialised in <paramref name="frame"/> (its message's gas, an empty stack) and leaves
    /// gas, stack height and output in it, exactly as <see cref="Interpreter"/> would.
    /// </summary>
    internal StatusCode Run(ExecutionFrame frame)
    {
        var state = new JitState { Gas = frame.GasLeft, Sp = 0, Block = 0, RegionOf = RegionOfBlock };
        int r;
        try
        {
            r = Entry(frame, ref state, Destinations);
        }
        catch (InvalidProgramException)
        {
            // The .NET JIT rejected a region on its first entry (lazy compilation), before any of it ran: the
            // interpreter runs the frame on from where the region would have started. Never expected; a safety net.
            frame.GasLeft = state.Gas + ResumeRefund[state.Block];
            return Interpreter.Resume(frame, PaddedCode, ResumePc[state.Block], state.Sp);
        }
        frame.GasLeft = state.Gas;
        if (r >= 0) return (StatusCode)r;
        return Interpreter.Resume(frame, PaddedCode, state.Pc, state.Sp);
    }
}
