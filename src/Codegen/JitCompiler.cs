using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Frontend;
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
public static class JitCompiler
{
    private static readonly FieldInfo s_frameStack = typeof(ExecutionFrame).GetField(nameof(ExecutionFrame.Stack))!;
    private static readonly FieldInfo s_frameFork = typeof(ExecutionFrame).GetField(nameof(ExecutionFrame.Fork))!;
    private static readonly FieldInfo s_stateGas = typeof(JitState).GetField(nameof(JitState.Gas))!;
    private static readonly FieldInfo s_stateSp = typeof(JitState).GetField(nameof(JitState.Sp))!;
    private static readonly FieldInfo s_stateBlock = typeof(JitState).GetField(nameof(JitState.Block))!;
    private static readonly FieldInfo s_statePc = typeof(JitState).GetField(nameof(JitState.Pc))!;
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
                if (!Supported(analysis, b, out var op)) { reason = $"opcode 0x{op:x2} at block {b} is not supported by the compiler"; return null; }

            var blocks = analysis.Blocks;
            var segments = Segment(analysis, options, out var firstSegmentOf);
            var ranges = Partition(analysis, options, segments, firstSegmentOf);
            var regionOf = new int[segments.Length];
            var methods = new RegionMethod[ranges.Count];
            var stats = new RegionStats[ranges.Count];
            for (int r = 0; r < ranges.Count; r++)
            {
                var (first, end) = ranges[r];
                for (int b = first; b < end; b++) regionOf[b] = r;
                var dm = new DynamicMethod($"evm_region_{r}", typeof(int), s_parameters, typeof(JitCompiler).Module, skipVisibility: true);
                var emitter = new IlEmitter(dm.GetILGenerator(256 + (end - first) * 64));
                new RegionBuilder(analysis, segments, firstSegmentOf, emitter, first, end).Emit();
                stats[r] = new RegionStats(first, end - first, emitter.Bytes, emitter.Instructions, emitter.BasicBlocks, emitter.LocalRefs);
                methods[r] = dm.CreateDelegate<RegionMethod>();
            }

            var destinations = new int[code.Length];
            Array.Fill(destinations, -1);
            for (int b = 0; b < blocks.Length; b++)
                if ((blocks[b].Flags & BlockFlags.JumpDest) != 0) destinations[blocks[b].Start] = firstSegmentOf[b];

            // Run every region once with no valid block: this makes the .NET JIT compile it now (compile cost is
            // paid here, not in the first execution) and surfaces invalid IL as a compile failure.
            var frame = ExecutionFrame.Rent();
            try
            {
                foreach (var m in methods)
                {
                    var probe = new JitState { Block = -1 };
                    m(frame, ref probe, destinations);
                }
            }
            finally { ExecutionFrame.Return(frame); }

            var padded = new byte[code.Length + AnalyzedCode.Padding];
            code.CopyTo(padded);
            clock.Stop();
            return new CompiledContract(codeHash ?? Keccak256.Compute(code), fork, code.Length, padded, analysis.JumpDests,
                methods, regionOf, destinations, stats, blocks.Length, segments.Length, clock.Elapsed);
        }
        catch (Exception e) when (e is InvalidProgramException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            reason = $"compilation failed: {e.GetType().Name}: {e.Message}";
            return null;
        }
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

    /// <summary>
    /// Cuts blocks too large for one region into consecutive segments (a straight-line block of Huff code can hold
    /// thousands of instructions). Only a block's first segment checks the stack and charges gas; the others continue
    /// with what was charged, so a cut costs a region exit and nothing else.
    /// </summary>
    private static Segment[] Segment(BytecodeAnalysis analysis, JitOptions o, out int[] firstSegmentOf)
    {
        var blocks = analysis.Blocks;
        var code = analysis.Code;
        var segments = new List<Segment>(blocks.Length);
        firstSegmentOf = new int[blocks.Length];
        var meter = new IlEmitter(null);
        var builder = new RegionBuilder(analysis, [], [], meter, 0, 0);
        // Leave room for the region's own overhead and the block's checks and exits.
        long maxBytes = o.RegionIlBytes / 2, maxInstructions = o.RegionIlInstructions / 2, maxBbs = o.RegionBasicBlocks / 2, maxRefs = o.RegionLocalRefs / 2;
        for (int b = 0; b < blocks.Length; b++)
        {
            firstSegmentOf[b] = segments.Count;
            var block = blocks[b];
            int start = block.Start, pc = block.Start;
            meter.Reset();
            while (pc < block.End)
            {
                byte op = code[pc];
                int next = pc + 1 + ImmediateSize(op);
                builder.MeterInstruction(op, pc, next);
                if (pc > start && (meter.Bytes > maxBytes || meter.Instructions > maxInstructions || meter.BasicBlocks > maxBbs || meter.LocalRefs > maxRefs))
                {
                    segments.Add(new Segment(b, start, pc, start != block.Start));
                    start = pc;
                    meter.Reset();
                    builder.MeterInstruction(op, pc, next);
                }
                pc = next;
            }
            segments.Add(new Segment(b, start, block.End, start != block.Start));
        }
        return segments.ToArray();
    }

    /// <summary>Groups consecutive segments into regions whose measured IL stays under the option limits.</summary>
    private static List<(int First, int End)> Partition(BytecodeAnalysis analysis, JitOptions o, Segment[] segments, int[] firstSegmentOf)
    {
        var ranges = new List<(int, int)>();
        var meter = new IlEmitter(null);
        var builder = new RegionBuilder(analysis, segments, firstSegmentOf, meter, 0, segments.Length);
        int first = 0;
        long bytes = 0, instructions = 0, bbs = 0, refs = 0;
        // The prologue, shared exits and the entry switch (4 bytes and one target per segment).
        const int Overhead = 200;
        for (int i = 0; i < segments.Length; i++)
        {
            meter.Reset();
            builder.EmitSegment(i);
            long nb = bytes + meter.Bytes + 4, ni = instructions + meter.Instructions, nbb = bbs + meter.BasicBlocks, nr = refs + meter.LocalRefs;
            if (i > first && (nb + Overhead > o.RegionIlBytes || ni + Overhead > o.RegionIlInstructions || nbb + 20 > o.RegionBasicBlocks || nr + 50 > o.RegionLocalRefs))
            {
                ranges.Add((first, i));
                first = i;
                nb = meter.Bytes + 4; ni = meter.Instructions; nbb = meter.BasicBlocks; nr = meter.LocalRefs;
            }
            bytes = nb; instructions = ni; bbs = nbb; refs = nr;
        }
        ranges.Add((first, segments.Length));
        return ranges;
    }

    /// <summary>Emits the IL of one region (or, with a measuring emitter, of single blocks).</summary>
    private sealed class RegionBuilder
    {
        private readonly BytecodeAnalysis _analysis;
        private readonly Segment[] _segments;
        private readonly int[] _firstSegmentOf;
        private readonly IlEmitter _il;
        private readonly int _first, _end;
        private readonly Label[] _blockLabels;
        private readonly List<(Label Label, int Pc, int Height, long Correction)> _fallbacks = new();
        private readonly Label _dispatch, _continue, _fallback, _error, _badJump;
        private readonly LocalBuilder? _stack, _top, _gas, _sp, _gasCell, _status, _tmp, _target, _x, _y, _t, _c;

        public RegionBuilder(BytecodeAnalysis analysis, Segment[] segments, int[] firstSegmentOf, IlEmitter il, int first, int end)
        {
            _analysis = analysis;
            _segments = segments;
            _firstSegmentOf = firstSegmentOf;
            _il = il;
            _first = first;
            _end = end;
            _blockLabels = new Label[end - first];
            for (int i = 0; i < _blockLabels.Length; i++) _blockLabels[i] = il.DefineLabel();
            _dispatch = il.DefineLabel();
            _continue = il.DefineLabel();
            _fallback = il.DefineLabel();
            _error = il.DefineLabel();
            _badJump = il.DefineLabel();
            _stack = il.DeclareLocal(typeof(UInt256).MakeByRefType());
            _top = il.DeclareLocal(typeof(UInt256).MakeByRefType());
            _gas = il.DeclareLocal(typeof(long));
            _sp = il.DeclareLocal(typeof(int));
            _gasCell = il.DeclareLocal(typeof(long));
            _status = il.DeclareLocal(typeof(int));
            _tmp = il.DeclareLocal(typeof(UInt256));
            _target = il.DeclareLocal(typeof(int));
            _x = il.DeclareLocal(typeof(ulong));
            _y = il.DeclareLocal(typeof(ulong));
            _t = il.DeclareLocal(typeof(ulong));
            _c = il.DeclareLocal(typeof(ulong));
        }

        private bool InRegion(int segment) => segment >= _first && segment < _end;

        public void Emit()
        {
            // ref UInt256 stack = ref frame.Stack[0]; long gas = state.Gas; int sp = state.Sp; target = state.Block;
            _il.Ldarg0(); _il.Ldfld(s_frameStack); _il.Ldc(0); _il.Ldelema(typeof(UInt256)); _il.Stloc(_stack);
            _il.Ldarg1(); _il.Ldfld(s_stateGas); _il.Stloc(_gas);
            _il.Ldarg1(); _il.Ldfld(s_stateSp); _il.Stloc(_sp);
            _il.Ldarg1(); _il.Ldfld(s_stateBlock); _il.Stloc(_target);

            // dispatch: switch (target - first) { case i: goto block_i; } — dynamic jumps land here too.
            _il.MarkLabel(_dispatch);
            _il.Ldloc(_target); _il.Ldc(_first); _il.Sub(); _il.Switch(_blockLabels);
            // Not in this region: state.Block = target; save gas and sp; return Continue.
            _il.MarkLabel(_continue);
            _il.Ldarg1(); _il.Ldloc(_target); _il.Stfld(s_stateBlock);
            _il.Ldarg1(); _il.Ldloc(_gas); _il.Stfld(s_stateGas);
            _il.Ldarg1(); _il.Ldloc(_sp); _il.Stfld(s_stateSp);
            _il.Ldc(RegionExit.Continue); _il.Ret();

            for (int i = _first; i < _end; i++) EmitSegment(i);

            // Fallback stubs: sp += height; gas += correction; state.Pc = pc; → the interpreter continues there.
            foreach (var (label, pc, height, correction) in _fallbacks)
            {
                _il.MarkLabel(label);
                if (height != 0) { _il.Ldloc(_sp); _il.Ldc(height); _il.Add(); _il.Stloc(_sp); }
                if (correction != 0) { _il.Ldloc(_gas); _il.LdcI8(correction); _il.Add(); _il.Stloc(_gas); }
                _il.Ldc(pc); _il.Stloc(_target); _il.Br(_fallback);
            }
            _il.MarkLabel(_fallback);
            _il.Ldarg1(); _il.Ldloc(_target); _il.Stfld(s_statePc);
            _il.Ldarg1(); _il.Ldloc(_gas); _il.Stfld(s_stateGas);
            _il.Ldarg1(); _il.Ldloc(_sp); _il.Stfld(s_stateSp);
            _il.Ldc(RegionExit.Fallback); _il.Ret();

            // return status (an instruction core failed).
            _il.MarkLabel(_error);
            _il.Ldarg1(); _il.Ldloc(_gas); _il.Stfld(s_stateGas);
            _il.Ldloc(_status); _il.Ret();

            _il.MarkLabel(_badJump);
            _il.Ldc((int)StatusCode.BadJumpDestination); _il.Ret();
        }

        private Label Fallback(int pc, int height, long correction)
        {
            var label = _il.DefineLabel();
            if (_il.Measuring)
            {
                // Count the stub where it would be emitted (at the end of the region).
                _il.MarkLabel(label);
                if (height != 0) { _il.Ldloc(_sp); _il.Ldc(height); _il.Add(); _il.Stloc(_sp); }
                if (correction != 0) { _il.Ldloc(_gas); _il.LdcI8(correction); _il.Add(); _il.Stloc(_gas); }
                _il.Ldc(pc); _il.Stloc(_target); _il.Br(_fallback);
            }
            else _fallbacks.Add((label, pc, height, correction));
            return label;
        }

        /// <summary>Pushes the address of the stack item at <paramref name="height"/> relative to the block's entry height.</summary>
        private void Slot(int height)
        {
            _il.Ldloc(_top);
            if (height != 0) { _il.Ldc(height * 32); _il.ConvI(); _il.Add(); }
        }

        /// <summary>Pushes the address of limb <paramref name="limb"/> of the item at <paramref name="height"/>.</summary>
        private void LimbAddress(int height, int limb)
        {
            _il.Ldloc(_top);
            int offset = height * 32 + limb * 8;
            if (offset != 0) { _il.Ldc(offset); _il.ConvI(); _il.Add(); }
        }

        private void LoadLimb(int height, int limb) { LimbAddress(height, limb); _il.LdindI8(); }

        /// <summary>stack[height] = new UInt256(u0, u1, u2, u3), as four stores (no constructor call to inline).</summary>
        private void StoreWord(int height, ulong u0, ulong u1, ulong u2, ulong u3)
        {
            LimbAddress(height, 0); _il.LdcU8(u0); _il.StindI8();
            LimbAddress(height, 1); _il.LdcU8(u1); _il.StindI8();
            LimbAddress(height, 2); _il.LdcU8(u2); _il.StindI8();
            LimbAddress(height, 3); _il.LdcU8(u3); _il.StindI8();
        }

        /// <summary>Clears limbs 1..3 of the item at <paramref name="height"/>.</summary>
        private void ClearHighLimbs(int height)
        {
            for (int k = 1; k < 4; k++) { LimbAddress(height, k); _il.LdcU8(0); _il.StindI8(); }
        }

        /// <summary>ADD: stack[h - 1] = stack[h] + stack[h - 1] (mod 2^256), limb by limb with carry.</summary>
        private void EmitAdd(int h)
        {
            for (int k = 0; k < 4; k++)
            {
                // x = a[k]; t = x + b[k];
                LoadLimb(h, k); _il.Stloc(_x);
                _il.Ldloc(_x); LoadLimb(h - 1, k); _il.Add(); _il.Stloc(_t);
                if (k == 0)
                {
                    // b[0] = t; c = t < x;
                    LimbAddress(h - 1, 0); _il.Ldloc(_t); _il.StindI8();
                    _il.Ldloc(_t); _il.Ldloc(_x); _il.CltUn(); _il.ConvU8(); _il.Stloc(_c);
                    continue;
                }
                // y = t < x; x = t + c; b[k] = x; c = y | (x < t);
                if (k < 3) { _il.Ldloc(_t); _il.Ldloc(_x); _il.CltUn(); _il.ConvU8(); _il.Stloc(_y); }
                _il.Ldloc(_t); _il.Ldloc(_c); _il.Add(); _il.Stloc(_x);
                LimbAddress(h - 1, k); _il.Ldloc(_x); _il.StindI8();
                if (k < 3) { _il.Ldloc(_x); _il.Ldloc(_t); _il.CltUn(); _il.ConvU8(); _il.Ldloc(_y); _il.Or(); _il.Stloc(_c); }
            }
        }

        /// <summary>
        /// The borrow chain of stack[<paramref name="a"/>] - stack[<paramref name="b"/>]: stores the difference in
        /// stack[<paramref name="destination"/>] unless it is null, and leaves the final borrow in <c>c</c>.
        /// </summary>
        private void EmitSubtract(int a, int b, int? destination)
        {
            for (int k = 0; k < 4; k++)
            {
                // x = a[k]; y = b[k]; t = x - y;
                LoadLimb(a, k); _il.Stloc(_x);
                LoadLimb(b, k); _il.Stloc(_y);
                _il.Ldloc(_x); _il.Ldloc(_y); _il.Sub(); _il.Stloc(_t);
                if (k == 0)
                {
                    if (destination is { } d0) { LimbAddress(d0, 0); _il.Ldloc(_t); _il.StindI8(); }
                    _il.Ldloc(_x); _il.Ldloc(_y); _il.CltUn(); _il.ConvU8(); _il.Stloc(_c);
                    continue;
                }
                // y = x < y; x = t - c; dest[k] = x; c = y | (t < c);
                _il.Ldloc(_x); _il.Ldloc(_y); _il.CltUn(); _il.ConvU8(); _il.Stloc(_y);
                if (destination is { } d) { LimbAddress(d, k); _il.Ldloc(_t); _il.Ldloc(_c); _il.Sub(); _il.StindI8(); }
                _il.Ldloc(_t); _il.Ldloc(_c); _il.CltUn(); _il.ConvU8(); _il.Ldloc(_y); _il.Or(); _il.Stloc(_c);
            }
        }

        /// <summary>AND/OR/XOR: stack[h - 1] = stack[h] op stack[h - 1], limb by limb.</summary>
        private void EmitBitwise(int h, byte op)
        {
            for (int k = 0; k < 4; k++)
            {
                LimbAddress(h - 1, k); LoadLimb(h, k); LoadLimb(h - 1, k);
                if (op == AND) _il.And(); else if (op == OR) _il.Or(); else _il.Xor();
                _il.StindI8();
            }
        }

        /// <summary>Inline forms of cheap opcodes; false when <paramref name="op"/> has none (call its core).</summary>
        private bool TryEmitInline(byte op, int h)
        {
            switch (op)
            {
                case ADD: EmitAdd(h); return true;
                case SUB: EmitSubtract(h, h - 1, h - 1); return true;
                case AND: case OR: case XOR: EmitBitwise(h, op); return true;
                case NOT:
                    for (int k = 0; k < 4; k++) { LimbAddress(h, k); LoadLimb(h, k); _il.Not(); _il.StindI8(); }
                    return true;
                case ISZERO:
                    // top = (a0 | a1 | a2 | a3) == 0 ? 1 : 0;
                    LoadLimb(h, 0); LoadLimb(h, 1); _il.Or(); LoadLimb(h, 2); _il.Or(); LoadLimb(h, 3); _il.Or(); _il.Stloc(_x);
                    LimbAddress(h, 0); _il.Ldloc(_x); _il.LdcU8(0); _il.Ceq(); _il.ConvU8(); _il.StindI8();
                    ClearHighLimbs(h);
                    return true;
                case EQ:
                    // b = ((a0 ^ b0) | … | (a3 ^ b3)) == 0 ? 1 : 0;
                    for (int k = 0; k < 4; k++) { LoadLimb(h, k); LoadLimb(h - 1, k); _il.Xor(); if (k > 0) _il.Or(); }
                    _il.Stloc(_x);
                    LimbAddress(h - 1, 0); _il.Ldloc(_x); _il.LdcU8(0); _il.Ceq(); _il.ConvU8(); _il.StindI8();
                    ClearHighLimbs(h - 1);
                    return true;
                case LT:
                case GT:
                    // LT: a < b is the borrow of a - b; GT: a > b is the borrow of b - a. b = borrow;
                    if (op == LT) EmitSubtract(h, h - 1, null); else EmitSubtract(h - 1, h, null);
                    LimbAddress(h - 1, 0); _il.Ldloc(_c); _il.StindI8();
                    ClearHighLimbs(h - 1);
                    return true;
                default:
                    return false;
            }
        }

        private void Halt(StatusCode status)
        {
            // state.Gas = gas; return status;
            _il.Ldarg1(); _il.Ldloc(_gas); _il.Stfld(s_stateGas);
            _il.Ldc((int)status); _il.Ret();
        }

        /// <summary>sp += stackChange; continues at the first segment of <paramref name="block"/>.</summary>
        private void GoTo(int block, int stackChange) => GoToSegment(_firstSegmentOf[block], stackChange);

        private void GoToSegment(int segment, int stackChange)
        {
            if (stackChange != 0) { _il.Ldloc(_sp); _il.Ldc(stackChange); _il.Add(); _il.Stloc(_sp); }
            if (InRegion(segment)) _il.Br(_blockLabels[segment - _first]);
            else { _il.Ldc(segment); _il.Stloc(_target); _il.Br(_continue); }
        }

        /// <summary>Counts the IL of one instruction (at a typical height, with a gas correction) into the meter.</summary>
        public void MeterInstruction(byte op, int pc, int next)
        {
            var code = _analysis.Code;
            if (op is JUMP or JUMPI or STOP or RETURN or REVERT or SELFDESTRUCT or INVALID || s_cores[op] is null && !IsInline(op)
                || OpcodeTable.Get(op, _analysis.Fork) is null)
            {
                // Terminators: about a dynamic jump's worth.
                for (int i = 0; i < 40; i++) _il.Ldloc(_top);
                return;
            }
            EmitInstruction(op, pc, next, 8, 1, code);
        }

        public void EmitSegment(int segment)
        {
            var seg = _segments[segment];
            int b = seg.Block;
            var block = _analysis.Blocks[b];
            var code = _analysis.Code;
            if (!_il.Measuring || InRegion(segment)) _il.MarkLabel(_blockLabels[segment - _first]);

            // ref UInt256 top = ref Unsafe.Add(ref stack, sp);
            _il.Ldloc(_stack); _il.Ldloc(_sp); _il.Ldc(32); _il.Mul(); _il.ConvI(); _il.Add(); _il.Stloc(_top);

            if (!seg.Continuation) EmitBlockChecks(block);

            var points = _analysis.GasPointsOf(b);
            int nextPoint = 0;
            while (nextPoint < points.Length && points[nextPoint].Pc < seg.Start) nextPoint++;
            int h = 0;
            int pc = seg.Start;
            while (pc < seg.End)
            {
                byte op = code[pc];
                int next = pc + 1 + ImmediateSize(op);
                long correction = 0;
                if (nextPoint < points.Length && points[nextPoint].Pc == pc)
                    correction = points[nextPoint++].Correction - PlantedUndercharge(next, block.End);

                if (pc == block.LastPc && block.EndKind is not (BlockEndKind.FallThrough or BlockEndKind.ImplicitStop))
                {
                    EmitTerminator(b, block, op, pc, h);
                    return;
                }
                h = EmitInstruction(op, pc, next, h, correction, code);
                pc = next;
            }
            // End of a segment cut from a larger block: the next segment continues it.
            if (seg.End < block.End) GoToSegment(segment + 1, h);
            // Fell off the block: the next block starts at a JUMPDEST, or the code ended (implicit STOP).
            else if (block.EndKind == BlockEndKind.FallThrough) GoTo(b + 1, h);
            else Halt(StatusCode.Success);
        }

        /// <summary>
        /// JEVM_PLANT_BUG=gas:OP: the gas not charged for occurrences of OP in [from, to) (one unit each), else 0.
        /// </summary>
        private long PlantedUndercharge(int from, int to)
        {
            int planted = PlantedBug.UnderchargedOpcode;
            if (planted < 0) return 0;
            var code = _analysis.Code;
            long count = 0;
            for (int pc = from; pc < to; pc += 1 + ImmediateSize(code[pc]))
                if (code[pc] == planted) count++;
            return count;
        }

        private void EmitBlockChecks(BasicBlock block)
        {
            // if ((uint)(sp - need) > (uint)(1024 - growth - need)) fall back (underflow or overflow somewhere in the block)
            int need = block.StackRequired, growth = block.StackMaxGrowth;
            if (need > 0 || growth > 0)
            {
                int limit = GasCosts.MaxStackHeight - growth - need;
                if (limit < 0) { _il.Br(Fallback(block.Start, 0, 0)); return; } // never runs compiled: the interpreter fails it
                _il.Ldloc(_sp); _il.Ldc(need); _il.Sub(); _il.Ldc(limit); _il.BgtUn(Fallback(block.Start, 0, 0));
            }
            // if (gas < staticGas) fall back; gas -= staticGas;
            long staticGas = block.StaticGas - PlantedUndercharge(block.Start, block.End);
            if (staticGas > 0)
            {
                _il.Ldloc(_gas); _il.LdcI8(staticGas); _il.Blt(Fallback(block.Start, 0, 0));
                _il.Ldloc(_gas); _il.LdcI8(staticGas); _il.Sub(); _il.Stloc(_gas);
            }

        }

        private int EmitInstruction(byte op, int pc, int next, int h, long correction, ReadOnlySpan<byte> code)
        {
            switch (op)
            {
                case POP:
                case JUMPDEST:
                    return op == POP ? h - 1 : h;
                case PUSH0:
                    // stack[h + 1] = default;
                    StoreWord(h + 1, 0, 0, 0, 0);
                    return h + 1;
                case >= PUSH1 and <= PUSH32:
                {
                    // stack[h + 1] = immediate (big-endian, zero-padded past the end of the code);
                    int n = op - PUSH1 + 1;
                    Span<byte> word = stackalloc byte[32];
                    word.Clear();
                    for (int i = 0; i < n; i++)
                    {
                        int at = pc + 1 + i;
                        word[32 - n + i] = at < code.Length ? code[at] : (byte)0;
                    }
                    var value = UInt256.ReadBigEndian(word);
                    StoreWord(h + 1, value.U0, value.U1, value.U2, value.U3);
                    return h + 1;
                }
                case >= DUP1 and <= DUP16:
                {
                    // stack[h + 1] = stack[h - n + 1];
                    int n = op - DUP1 + 1;
                    // Limb by limb: 8-byte stores followed by a 32-byte vector load of the same item would stall store forwarding.
                    for (int k = 0; k < 4; k++) { LimbAddress(h + 1, k); LoadLimb(h - n + 1, k); _il.StindI8(); }
                    return h + 1;
                }
                case >= SWAP1 and <= SWAP16:
                {
                    // (stack[h], stack[h - n]) = (stack[h - n], stack[h]);
                    int n = op - SWAP1 + 1;
                    for (int k = 0; k < 4; k++)
                    {
                        LoadLimb(h, k); _il.Stloc(_x);
                        LimbAddress(h, k); LoadLimb(h - n, k); _il.StindI8();
                        LimbAddress(h - n, k); _il.Ldloc(_x); _il.StindI8();
                    }
                    return h;
                }
                case PC:
                    StoreWord(h + 1, (ulong)pc, 0, 0, 0);
                    return h + 1;
                case GAS:
                    // stack[h + 1] = gas + correction (the static gas of the rest of the block is not due yet);
                    LimbAddress(h + 1, 0); _il.Ldloc(_gas);
                    if (correction != 0) { _il.LdcI8(correction); _il.Add(); }
                    _il.StindI8();
                    ClearHighLimbs(h + 1);
                    return h + 1;
                default:
                {
                    var info = OpcodeTable.Get(op, _analysis.Fork)!.Value;
                    int after = h + info.StackOutputs - info.StackInputs;
                    if (!TryEmitInline(op, h)) EmitCore(op, h, correction, next, after);
                    return after;
                }
            }
        }

        /// <summary>Calls the instruction core of <paramref name="op"/> with the item at <paramref name="h"/> as its top.</summary>
        private void EmitCore(byte op, int h, long correction, int next, int after)
        {
            // JEVM_PLANT_BUG=sar: SAR as a logical shift (wrong for negative values only).
            var core = (op == SAR && PlantedBug.LogicalSar ? s_cores[SHR] : s_cores[op])!;
            var parameters = core.GetParameters();
            bool usesGas = false;
            foreach (var p in parameters) if (p.ParameterType == typeof(long).MakeByRefType()) usesGas = true;
            // gasCell = gas + correction: the core sees the exact remaining gas.
            if (usesGas)
            {
                _il.Ldloc(_gas);
                if (correction != 0) { _il.LdcI8(correction); _il.Add(); }
                _il.Stloc(_gasCell);
            }
            foreach (var p in parameters)
            {
                var type = p.ParameterType;
                if (type == typeof(ExecutionFrame)) _il.Ldarg0();
                else if (type == typeof(UInt256).MakeByRefType()) Slot(h);
                else if (type == typeof(long).MakeByRefType()) _il.Ldloca(_gasCell);
                else if (type == typeof(Fork)) { _il.Ldarg0(); _il.Ldfld(s_frameFork); }
                else if (type == typeof(int)) _il.Ldc(op - LOG0); // Log's topic count
                else if (type == typeof(byte)) _il.Ldc(op); // Call's opcode
                else if (type == typeof(bool)) _il.Ldc(op == CREATE2 ? 1 : 0); // Create's create2
                else throw new NotSupportedException($"core {core.Name} takes a {type.Name}");
            }
            _il.Call(core);
            if (core.ReturnType == typeof(StatusCode))
            {
                // if (status != Success) return status;
                _il.Stloc(_status); _il.Ldloc(_status); _il.Brtrue(_error);
            }
            if (usesGas)
            {
                // gas = gasCell; if (gas < correction) fall back after this instruction; gas -= correction;
                _il.Ldloc(_gasCell); _il.Stloc(_gas);
                if (correction != 0)
                {
                    _il.Ldloc(_gas); _il.LdcI8(correction); _il.Blt(Fallback(next, after, 0));
                    _il.Ldloc(_gas); _il.LdcI8(correction); _il.Sub(); _il.Stloc(_gas);
                }
            }
        }

        private void EmitTerminator(int b, BasicBlock block, byte op, int pc, int h)
        {
            switch (block.EndKind)
            {
                case BlockEndKind.Stop: Halt(StatusCode.Success); return;
                case BlockEndKind.Invalid: Halt(StatusCode.InvalidInstruction); return;
                case BlockEndKind.Undefined: Halt(StatusCode.UndefinedInstruction); return;
                case BlockEndKind.Return:
                case BlockEndKind.Revert:
                case BlockEndKind.SelfDestruct:
                    EmitCore(op, h, 0, pc + 1, 0);
                    Halt(block.EndKind == BlockEndKind.Revert ? StatusCode.Revert : StatusCode.Success);
                    return;
                case BlockEndKind.Jump:
                    EmitJump(block, h, h - 1);
                    return;
                case BlockEndKind.JumpI:
                {
                    // if (stack[h - 1] is zero) goto next block;
                    var taken = _il.DefineLabel();
                    Slot(h - 1); _il.Ldfld(s_u0); Slot(h - 1); _il.Ldfld(s_u1); _il.Or();
                    Slot(h - 1); _il.Ldfld(s_u2); _il.Or(); Slot(h - 1); _il.Ldfld(s_u3); _il.Or();
                    _il.Brtrue(taken);
                    if (block.FallThrough >= 0) GoTo(block.FallThrough, h - 2);
                    else Halt(StatusCode.Success);
                    _il.MarkLabel(taken);
                    EmitJump(block, h, h - 2);
                    return;
                }
                default:
                    throw new InvalidOperationException($"block {b} ends with {block.EndKind} at {pc}");
            }
        }

        private void EmitJump(BasicBlock block, int h, int stackChange)
        {
            if ((block.Flags & BlockFlags.InvalidJumpTarget) != 0) { _il.Br(_badJump); return; }
            if (block.StaticTarget >= 0) { GoTo(block.StaticTarget, stackChange); return; }
            // Dynamic: if (dest.U1 | dest.U2 | dest.U3) != 0 || dest.U0 >= codeLength → bad jump;
            Slot(h); _il.Ldfld(s_u1); Slot(h); _il.Ldfld(s_u2); _il.Or(); Slot(h); _il.Ldfld(s_u3); _il.Or();
            _il.Brtrue(_badJump);
            Slot(h); _il.Ldfld(s_u0); _il.LdcU8((ulong)_analysis.Code.Length); _il.BgeUn(_badJump);
            // target = destinations[(int)dest.U0]; if (target < 0) bad jump; sp += change; goto dispatch;
            _il.Ldarg2(); Slot(h); _il.Ldfld(s_u0); _il.ConvI4(); _il.LdelemI4(); _il.Stloc(_target);
            _il.Ldloc(_target); _il.Ldc(0); _il.Blt(_badJump);
            if (stackChange != 0) { _il.Ldloc(_sp); _il.Ldc(stackChange); _il.Add(); _il.Stloc(_sp); }
            _il.Br(_dispatch);
        }
    }
}
