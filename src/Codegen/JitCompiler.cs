using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Numerics;
using Jevm.Primitives;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Codegen;

/// <summary>A run of consecutive instructions of one block, the unit regions are made of (see JitCompiler.Segment).</summary>
internal readonly record struct Segment(int Block, int Start, int End, bool Continuation);

/// <summary>Limits the compiler sizes regions by (kept well under RyuJIT's MinOpts thresholds, see docs/codegen.md).</summary>
public sealed record JitOptions
{
    /// <summary>Largest code compiled; longer code runs in the interpreter.</summary>
    public int MaxCodeSize { get; init; } = 64 * 1024;

    /// <summary>IL bytes per region method.</summary>
    public int RegionIlBytes { get; init; } = 40_000;

    /// <summary>IL instructions per region method.</summary>
    public int RegionIlInstructions { get; init; } = 12_000;

    /// <summary>IL basic blocks per region method.</summary>
    public int RegionBasicBlocks { get; init; } = 1_200;

    /// <summary>Local and argument references per region method.</summary>
    public int RegionLocalRefs { get; init; } = 5_000;

    /// <summary>
    /// Make the .NET JIT compile every region during <see cref="JitCompiler.TryCompile"/> (so that compile cost is paid
    /// there, e.g. on a background thread, and <see cref="CompiledContract.DotNetJitTime"/> measures it). When false
    /// (the default), each region is compiled by the .NET JIT when it is first entered, so regions never run cost nothing.
    /// </summary>
    public bool EagerDotNetJit { get; init; }

    /// <summary>The defaults.</summary>
    public static JitOptions Default { get; } = new();
}

/// <summary>
/// Compiles EVM code for one fork to CIL: one <see cref="DynamicMethod"/> per region of consecutive basic blocks,
/// each block an IL label. A block checks its stack bounds and charges its static gas once on entry (from the
/// frontend's <see cref="BasicBlock"/> summary); when that fails, the interpreter takes the frame over at the block's
/// pc and fails at the exact instruction. Stack items are addressed at offsets fixed at compile time from the block's
/// entry height; PUSH/DUP/SWAP/POP/PC/GAS are inline, everything else calls the interpreter's own cores in
/// <see cref="Instructions"/> (the small ones are inlined by RyuJIT). Instructions that see the exact remaining gas
/// get the not-yet-due static gas of the rest of their block added back for the duration of the call (the
/// frontend's <see cref="GasPoint.Correction"/>).
/// </summary>
public static partial class JitCompiler
{
    private static readonly FieldInfo s_frameStack = typeof(ExecutionFrame).GetField(nameof(ExecutionFrame.Stack))!;
    private static readonly FieldInfo s_frameFork = typeof(ExecutionFrame).GetField(nameof(ExecutionFrame.Fork))!;
    private static readonly FieldInfo s_stateGas = typeof(JitState).GetField(nameof(JitState.Gas))!;
    private static readonly FieldInfo s_stateSp = typeof(JitState).GetField(nameof(JitState.Sp))!;
    private static readonly FieldInfo s_stateBlock = typeof(JitState).GetField(nameof(JitState.Block))!;
    private static readonly FieldInfo s_statePc = typeof(JitState).GetField(nameof(JitState.Pc))!;
    private static readonly FieldInfo s_stateZero = typeof(JitState).GetField(nameof(JitState.Zero))!;
    private static readonly FieldInfo s_stateRegionOf = typeof(JitState).GetField(nameof(JitState.RegionOf))!;
    private static readonly FieldInfo s_u0 = typeof(UInt256).GetField(nameof(UInt256.U0))!;
    private static readonly FieldInfo s_u1 = typeof(UInt256).GetField(nameof(UInt256.U1))!;
    private static readonly FieldInfo s_u2 = typeof(UInt256).GetField(nameof(UInt256.U2))!;
    private static readonly FieldInfo s_u3 = typeof(UInt256).GetField(nameof(UInt256.U3))!;
    private static readonly Type[] s_parameters = [typeof(ExecutionFrame), typeof(JitState).MakeByRefType(), typeof(int[])];

    /// <summary>The instruction core each opcode calls (the same methods the interpreter's switch calls).</summary>
    private static readonly MethodInfo?[] s_cores = BuildCoreTable();

    private static MethodInfo?[] BuildCoreTable()
    {
        var t = new MethodInfo?[256];
        void Map(byte op, string name) => t[op] = typeof(Instructions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(nameof(Instructions), name);
        Map(ADD, "Add"); Map(MUL, "Mul"); Map(SUB, "Sub"); Map(DIV, "Div"); Map(SDIV, "SDiv"); Map(MOD, "Mod");
        Map(SMOD, "SMod"); Map(ADDMOD, "AddMod"); Map(MULMOD, "MulMod"); Map(EXP, "Exp"); Map(SIGNEXTEND, "SignExtend");
        Map(LT, "Lt"); Map(GT, "Gt"); Map(SLT, "SLt"); Map(SGT, "SGt"); Map(EQ, "Eq"); Map(ISZERO, "IsZero");
        Map(AND, "And"); Map(OR, "Or"); Map(XOR, "Xor"); Map(NOT, "Not"); Map(BYTE, "Byte"); Map(SHL, "Shl");
        Map(SHR, "Shr"); Map(SAR, "Sar"); Map(CLZ, "Clz"); Map(KECCAK256, "Keccak256"); Map(ADDRESS, "CurrentAddress");
        Map(BALANCE, "Balance"); Map(ORIGIN, "Origin"); Map(CALLER, "Caller"); Map(CALLVALUE, "CallValue");
        Map(CALLDATALOAD, "CallDataLoad"); Map(CALLDATASIZE, "CallDataSize"); Map(CALLDATACOPY, "CallDataCopy");
        Map(CODESIZE, "CodeSize"); Map(CODECOPY, "CodeCopy"); Map(GASPRICE, "GasPrice"); Map(EXTCODESIZE, "ExtCodeSize");
        Map(EXTCODECOPY, "ExtCodeCopy"); Map(RETURNDATASIZE, "ReturnDataSize"); Map(RETURNDATACOPY, "ReturnDataCopy");
        Map(EXTCODEHASH, "ExtCodeHash"); Map(BLOCKHASH, "BlockHash"); Map(COINBASE, "Coinbase"); Map(TIMESTAMP, "Timestamp");
        Map(NUMBER, "Number"); Map(PREVRANDAO, "PrevRandao"); Map(GASLIMIT, "GasLimit"); Map(CHAINID, "ChainId");
        Map(SELFBALANCE, "SelfBalance"); Map(BASEFEE, "BaseFee"); Map(BLOBHASH, "BlobHash"); Map(BLOBBASEFEE, "BlobBaseFee");
        Map(MLOAD, "MLoad"); Map(MSTORE, "MStore"); Map(MSTORE8, "MStore8"); Map(SLOAD, "SLoad"); Map(SSTORE, "SStore");
        Map(MSIZE, "MSize"); Map(TLOAD, "TLoad"); Map(TSTORE, "TStore"); Map(MCOPY, "MCopy");
        for (byte op = LOG0; op <= LOG4; op++) Map(op, "Log");
        Map(CREATE, "Create"); Map(CREATE2, "Create");
        Map(CALL, "Call"); Map(CALLCODE, "Call"); Map(DELEGATECALL, "Call"); Map(STATICCALL, "Call");
        Map(RETURN, "SetOutput"); Map(REVERT, "SetOutput"); Map(SELFDESTRUCT, "SelfDestruct");
        return t;
    }

    /// <summary>
    /// Compiles <paramref name="code"/> for <paramref name="fork"/>. Returns null and a reason when the code cannot be
    /// compiled (too long, an opcode the compiler does not know, an emission or JIT failure): run the interpreter then.
    /// </summary>
    public static CompiledContract? TryCompile(ReadOnlySpan<byte> code, Fork fork, out string? reason, JitOptions? options = null, Hash256? codeHash = null)
    {
        options ??= JitOptions.Default;
        reason = null;
        if (code.Length == 0) { reason = "empty code"; return null; }
        if (code.Length > options.MaxCodeSize) { reason = $"code of {code.Length} bytes exceeds the {options.MaxCodeSize}-byte limit"; return null; }
        try
        {
            var clock = Stopwatch.StartNew();
            var analysis = BytecodeAnalysis.Analyze(code, fork);
            for (int b = 0; b < analysis.Blocks.Length; b++)
                if (!Supported(analysis, b, out var op)) { reason = $"opcode 0x{op:x2} at block {b}{UnsupportedSuffix}"; return null; }
            var fn = BuildIr(analysis);

            var blocks = analysis.Blocks;
            var segments = Segment(fn, options, out var firstSegmentOf, out var figures);
            var ranges = Partition(options, figures, segments, firstSegmentOf, fn);
            var regionOf = new int[segments.Length];
            var methods = new DynamicMethod[ranges.Count];
            for (int r = 0; r < ranges.Count; r++)
            {
                var (first, end) = ranges[r];
                for (int b = first; b < end; b++) regionOf[b] = r;
                methods[r] = new DynamicMethod($"evm_region_{r}", typeof(int), s_parameters, typeof(JitCompiler).Module, skipVisibility: true)
                {
                    // Every local is written before it is read: no need to zero them all on each region entry.
                    InitLocals = false,
                };
            }
            var dispatcher = Dispatcher(methods);
            var carried = new (int, UInt256)[]?[segments.Length];
            var stats = new RegionStats[ranges.Count];
            for (int r = 0; r < ranges.Count; r++)
            {
                var (first, end) = ranges[r];
                var emitter = new IlEmitter(methods[r].GetILGenerator(256 + (end - first) * 64));
                new RegionBuilder(fn, segments, firstSegmentOf, emitter, first, end, methods, regionOf, dispatcher, carried).Emit();
                stats[r] = new RegionStats(first, end - first, emitter.Bytes, emitter.Instructions, emitter.BasicBlocks, emitter.LocalRefs);
            }
            // Creating a delegate completes every method (the regions call each other, so all must be complete first).
            var delegates = new RegionMethod[methods.Length];
            for (int r = 0; r < methods.Length; r++) delegates[r] = methods[r].CreateDelegate<RegionMethod>();

            var destinations = new int[code.Length];
            Array.Fill(destinations, -1);
            for (int b = 0; b < blocks.Length; b++)
                if ((blocks[b].Flags & BlockFlags.JumpDest) != 0) destinations[blocks[b].Start] = firstSegmentOf[b];

            var emitTime = clock.Elapsed;
            // Eager: run every region once with no valid block; this makes the .NET JIT compile it now (compile cost
            // is paid here, not in the first execution) and surfaces invalid IL as a compile failure.
            if (options.EagerDotNetJit)
            {
                var frame = ExecutionFrame.Rent();
                try
                {
                    foreach (var region in delegates)
                    {
                        var probe = new JitState { Block = -1 };
                        region(frame, ref probe, destinations);
                    }
                    // The dispatcher too (with no region for segment 0 it returns at once), unless there is one region:
                    // every jump then stays in it, and the dispatcher is never entered (most small codes).
                    if (methods.Length > 1)
                    {
                        var dispatchProbe = new JitState { Block = 0, RegionOf = [-1] };
                        dispatcher.CreateDelegate<RegionMethod>()(frame, ref dispatchProbe, destinations);
                    }
                }
                finally { ExecutionFrame.Return(frame); }
            }

            // Where the interpreter takes a segment over if its region cannot be compiled by the .NET JIT: a
            // continuation segment's gas was charged with its block, so it is given back first.
            var resumePc = new int[segments.Length];
            var resumeRefund = new long[segments.Length];
            var baseGas = OpcodeTable.BaseGas(fork);
            for (int i = 0; i < segments.Length; i++)
            {
                var seg = segments[i];
                resumePc[i] = seg.Start;
                if (!seg.Continuation) continue;
                long refund = 0;
                int end = blocks[seg.Block].End;
                for (int pc = seg.Start; pc < end; pc += 1 + ImmediateSize(code[pc])) refund += baseGas[code[pc]];
                resumeRefund[i] = refund;
            }

            var padded = new byte[code.Length + AnalyzedCode.Padding];
            code.CopyTo(padded);
            clock.Stop();
            return new CompiledContract(codeHash ?? Keccak256.Compute(code), fork, code.Length, padded, analysis.JumpDests,
                [.. methods, dispatcher], delegates[0], regionOf, destinations, stats, blocks.Length, segments.Length, clock.Elapsed)
            {
                ResumePc = resumePc,
                ResumeRefund = resumeRefund,
                EmitTime = emitTime,
                DotNetJitTime = clock.Elapsed - emitTime,
            };
        }
        catch (Exception e) when (e is InvalidProgramException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            reason = FailureReason(e);
            return null;
        }
    }

    private const string FailedPrefix = "compilation failed: ", UnsupportedSuffix = " is not supported by the compiler";

    /// <summary>The failure reason of a compilation that threw <paramref name="e"/>.</summary>
    internal static string FailureReason(Exception e) => $"{FailedPrefix}{e.GetType().Name}: {e.Message}";

    /// <summary>
    /// True when <paramref name="reason"/> says the compiler itself failed (it threw, or met an opcode it does not
    /// handle), as opposed to a code it declines by design (empty, too long).
    /// </summary>
    internal static bool IsCompilerFault(string? reason) =>
        reason is not null && (reason.StartsWith(FailedPrefix, StringComparison.Ordinal) || reason.EndsWith(UnsupportedSuffix, StringComparison.Ordinal));

    /// <summary>
    /// The method a region tail-calls where a computed jump leaves it:
    /// <c>switch (state.RegionOf[state.Block]) { case r: return evm_region_r(frame, ref state, destinations); }</c>.
    /// </summary>
    private static DynamicMethod Dispatcher(DynamicMethod[] methods)
    {
        var dm = new DynamicMethod("evm_dispatch", typeof(int), s_parameters, typeof(JitCompiler).Module, skipVisibility: true);
        var il = dm.GetILGenerator(32 + 12 * methods.Length);
        var cases = new Label[methods.Length];
        for (int r = 0; r < cases.Length; r++) cases[r] = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, s_stateRegionOf);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, s_stateBlock);
        il.Emit(OpCodes.Ldelem_I4);
        il.Emit(OpCodes.Switch, cases);
        il.Emit(OpCodes.Ldc_I4, RegionExit.Continue); // never: every segment has a region
        il.Emit(OpCodes.Ret);
        for (int r = 0; r < cases.Length; r++)
        {
            il.MarkLabel(cases[r]);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Tailcall);
            il.Emit(OpCodes.Call, methods[r]);
            il.Emit(OpCodes.Ret);
        }
        return dm;
    }

    /// <summary>
    /// The IR the regions are emitted from: built from the analysis, constants folded (within the passes' work budget),
    /// jumps resolved and unreachable blocks marked, dead pure values removed.
    /// </summary>
    internal static IrFunction BuildIr(BytecodeAnalysis analysis)
    {
        var fn = IrBuilder.Build(analysis);
        IrOptimizer.Run(fn);
        return fn;
    }

    private static bool Supported(BytecodeAnalysis analysis, int b, out byte op)
    {
        var block = analysis.Blocks[b];
        var code = analysis.Code;
        int pc = block.Start;
        while (pc < block.End)
        {
            op = code[pc];
            bool isLastUndefined = pc == block.LastPc && block.EndKind == BlockEndKind.Undefined;
            if (!isLastUndefined && !IsInline(op) && s_cores[op] is null && op is not (STOP or JUMP or JUMPI or INVALID))
                return false;
            pc += 1 + ImmediateSize(op);
        }
        op = 0;
        return true;
    }

    private static bool IsInline(byte op) => op is >= PUSH0 and <= PUSH32 or >= DUP1 and <= DUP16 or >= SWAP1 and <= SWAP16
        or POP or JUMPDEST or PC or GAS;

    internal static int ImmediateSize(byte op) => op is >= PUSH1 and <= PUSH32 ? op - PUSH1 + 1 : 0;

    /// <summary>Measured IL of one segment (what RyuJIT's MinOpts thresholds count).</summary>
    private readonly record struct IlFigures(int Bytes, int Instructions, int BasicBlocks, int LocalRefs);

    /// <summary>
    /// Cuts blocks too large for one region into consecutive segments (a straight-line block of Huff code can hold
    /// thousands of instructions). Only a block's first segment checks the stack and charges gas; the others continue
    /// with what was charged, so a cut costs a region exit and nothing else. Measures every segment's IL on the way
    /// (one metering pass over the code; regions are then formed from these figures).
    /// </summary>
    private static Segment[] Segment(IrFunction fn, JitOptions o, out int[] firstSegmentOf, out IlFigures[] figures)
    {
        var analysis = fn.Analysis;
        var blocks = analysis.Blocks;
        var segments = new List<Segment>(blocks.Length);
        var measured = new List<IlFigures>(blocks.Length);
        firstSegmentOf = new int[blocks.Length];
        var meter = new IlEmitter(null);
        var builder = new RegionBuilder(fn, [], [], meter, 0, 0);
        // Leave room for the region's own overhead and the block's checks and exits.
        long maxBytes = o.RegionIlBytes / 2, maxInstructions = o.RegionIlInstructions / 2, maxBbs = o.RegionBasicBlocks / 2, maxRefs = o.RegionLocalRefs / 2;
        // The exit of a segment cut from a block (writing what its virtual stack holds to memory, then a branch) is not
        // metered instruction by instruction: this bounds it (16 local sets of four limbs, five IL instructions each).
        const int CutBytes = 1200, CutInstructions = 400, CutBasicBlocks = 2, CutRefs = 200;
        IlFigures Figures() => new(meter.Bytes, meter.Instructions, meter.BasicBlocks, meter.LocalRefs);
        void Add(int b, int start, int end, bool continuation, bool cut)
        {
            segments.Add(new Segment(b, start, end, continuation));
            var f = Figures();
            measured.Add(cut ? new IlFigures(f.Bytes + CutBytes, f.Instructions + CutInstructions, f.BasicBlocks + CutBasicBlocks, f.LocalRefs + CutRefs) : f);
        }
        foreach (int b in Layout(fn))
        {
            firstSegmentOf[b] = segments.Count;
            var block = blocks[b];
            int start = block.Start;
            meter.Reset();
            builder.BeginMeter(b);
            builder.MeterEntry(b, continuation: false);
            if (builder.MetersWholeBlockAtEntry(b))
            {
                Add(b, start, block.End, continuation: false, cut: false);
                continue;
            }
            while (builder.MeterNext(out int pc, out _))
            {
                var before = Figures();
                builder.MeterInstruction(b);
                if (pc > start && (meter.Bytes > maxBytes || meter.Instructions > maxInstructions || meter.BasicBlocks > maxBbs || meter.LocalRefs > maxRefs))
                {
                    (meter.Bytes, meter.Instructions, meter.BasicBlocks, meter.LocalRefs) = before;
                    Add(b, start, pc, start != block.Start, cut: true);
                    start = pc;
                    meter.Reset();
                    builder.CutMeter();
                    builder.MeterEntry(b, continuation: true);
                    builder.MeterInstruction(b);
                }
            }
            builder.MeterExit(b);
            Add(b, start, block.End, start != block.Start, cut: false);
        }
        figures = measured.ToArray();
        return segments.ToArray();
    }

    /// <summary>
    /// The order blocks are laid out in (segments are numbered, and regions formed, in this order): chains that follow
    /// static control flow, so that a block and the block it jumps to statically tend to share a region (a jump inside a
    /// region is a branch; between regions it is a tail call and the entry switch). From block 0, each chain follows the
    /// fall-through successor first, else the static jump's target; the successors not followed wait on a stack, and
    /// so does the block after one that ends in a static JUMP (where an internal call usually returns to), so that it
    /// comes right after the callee's chain. When nothing waits, the next block not yet placed in code order starts the
    /// next chain. Code written in order (most compiled Solidity) keeps nearly its order; code that jumps about
    /// (jump tables, Huff macros, the jump_around benchmark) gets its chains together.
    /// </summary>
    internal static int[] Layout(IrFunction fn)
    {
        var blocks = fn.Blocks;
        int n = blocks.Count;
        var order = new int[n];
        var placed = new bool[n];
        var waiting = new Stack<int>();
        int count = 0, nextInCode = 0;
        while (count < n)
        {
            int b;
            do b = waiting.Count > 0 ? waiting.Pop() : -1; while (b >= 0 && placed[b]);
            if (b < 0)
            {
                while (placed[nextInCode]) nextInCode++;
                b = nextInCode;
            }
            while (b >= 0 && !placed[b])
            {
                placed[b] = true;
                order[count++] = b;
                var block = blocks[b];
                int taken = block.JumpsStaticallyTo, fall = block.FallsThroughTo;
                if (fall >= 0)
                {
                    if (taken >= 0 && !placed[taken]) waiting.Push(taken);
                    b = fall;
                }
                else
                {
                    // An unconditional static JUMP: the next block in code order is where a call returns, typically.
                    if (taken >= 0 && b + 1 < n && !placed[b + 1]) waiting.Push(b + 1);
                    b = taken;
                }
            }
        }
        return order;
    }

    /// <summary>
    /// Groups consecutive segments into regions whose measured IL stays under the option limits. Each region is filled
    /// as far as the limits allow, then cut where the fewest static edges cross (<see cref="CheapestCut"/>), at no less than
    /// half of that: a hot loop cut in two pays a tail call and the entry switch on every turn, and where a boundary
    /// falls decided sha1's speed by 12% (session 13).
    /// </summary>
    private static List<(int First, int End)> Partition(JitOptions o, IlFigures[] figures, Segment[] segments, int[] firstSegmentOf, IrFunction fn)
    {
        var ranges = new List<(int, int)>();
        var edges = StaticEdges(segments, firstSegmentOf, fn);
        // The prologue, shared exits and the entry switch (4 bytes and one target per segment).
        const int Overhead = 200;
        int first = 0;
        while (first < figures.Length)
        {
            // The greedy end: as many segments as fit (at least one).
            long bytes = 0, instructions = 0, bbs = 0, refs = 0;
            int end = first;
            while (end < figures.Length)
            {
                var f = figures[end];
                long nb = bytes + f.Bytes + 4, ni = instructions + f.Instructions, nbb = bbs + f.BasicBlocks, nr = refs + f.LocalRefs;
                if (end > first && (nb + Overhead > o.RegionIlBytes || ni + Overhead > o.RegionIlInstructions || nbb + 20 > o.RegionBasicBlocks || nr + 50 > o.RegionLocalRefs))
                    break;
                (bytes, instructions, bbs, refs) = (nb, ni, nbb, nr);
                end++;
            }
            if (end < figures.Length) end = CheapestCut(edges, first, first + Math.Max(1, (end - first) / 2), end);
            ranges.Add((first, end));
            first = end;
        }
        return ranges;
    }

    // How much a static edge crossing a region boundary is taken to cost: a backward one (a loop's) on every turn.
    private const int ForwardEdgeWeight = 1, BackwardEdgeWeight = 8;

    /// <summary>
    /// The static control-flow edges between segments, each as (lower index, higher index, weight): a segment to the
    /// next of its block, a block's last segment to its fall-through block and to its static jump's target (computed
    /// jumps have no edge: their targets are unknown).
    /// </summary>
    private static List<(int Lo, int Hi, int Weight)> StaticEdges(Segment[] segments, int[] firstSegmentOf, IrFunction fn)
    {
        var edges = new List<(int, int, int)>(segments.Length * 2);
        void Edge(int from, int to)
        {
            if (to < 0 || to == from) return;
            edges.Add((Math.Min(from, to), Math.Max(from, to), to < from ? BackwardEdgeWeight : ForwardEdgeWeight));
        }
        for (int s = 0; s < segments.Length; s++)
        {
            int b = segments[s].Block;
            if (s + 1 < segments.Length && segments[s + 1].Block == b) { Edge(s, s + 1); continue; }
            var block = fn.Blocks[b];
            if (block.IsRemoved) continue;
            if (block.FallsThroughTo >= 0) Edge(s, firstSegmentOf[block.FallsThroughTo]);
            if (block.JumpsStaticallyTo >= 0) Edge(s, firstSegmentOf[block.JumpsStaticallyTo]);
        }
        return edges;
    }

    /// <summary>
    /// The cut c in [<paramref name="low"/>, <paramref name="high"/>] (the region being [<paramref name="first"/>, c))
    /// that the least weight of edges crosses, counting the edges that start or end in the region; the latest of equals.
    /// </summary>
    internal static int CheapestCut(List<(int Lo, int Hi, int Weight)> edges, int first, int low, int high)
    {
        // cost[c - low]: the weight of the edges with lo < c <= hi (a difference array over the candidate cuts).
        var diff = new long[high - low + 2];
        foreach (var (lo, hi, w) in edges)
        {
            if (lo < first || lo >= high || hi < low) continue;
            int from = Math.Max(lo + 1, low), to = Math.Min(hi, high);
            if (from > to) continue;
            diff[from - low] += w;
            diff[to - low + 1] -= w;
        }
        long cost = 0, best = long.MaxValue;
        int cut = high;
        for (int c = low; c <= high; c++)
        {
            cost += diff[c - low];
            if (cost <= best) { best = cost; cut = c; }
        }
        return cut;
    }
}
