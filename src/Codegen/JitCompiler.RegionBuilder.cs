using System.Buffers.Binary;
using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Numerics;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Codegen;

public static partial class JitCompiler
{
    private static readonly FieldInfo s_frameMemory = typeof(ExecutionFrame).GetField(nameof(ExecutionFrame.Memory))!;
    // EvmMemory's own fields, read directly (skipVisibility) by the inline MLOAD/MSTORE fast paths.
    private static readonly FieldInfo s_memoryBuffer = typeof(EvmMemory).GetField("_buffer", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(EvmMemory), "_buffer");
    private static readonly FieldInfo s_memorySize = typeof(EvmMemory).GetField("_size", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(EvmMemory), "_size");
    // The out-of-line part of expansion (the access's end known to lie past the memory's size and below 2^33).
    private static readonly MethodInfo s_memoryGrow = typeof(EvmMemory).GetMethod(nameof(EvmMemory.Grow), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo s_byteSwap = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ulong)])!;
    private static readonly MethodInfo s_arrayData = FindArrayDataReference();
    private static readonly MethodInfo s_bigMul = typeof(Math).GetMethod(nameof(Math.BigMul), [typeof(ulong), typeof(ulong), typeof(ulong).MakeByRefType()])!;
    private static readonly MethodInfo s_divRem128 = typeof(UInt256).GetMethod(nameof(UInt256.DivRem128), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_divide128By128 = typeof(UInt256).GetMethod(nameof(UInt256.Divide128By128), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_mulx = typeof(Bmi2.X64).GetMethod(nameof(Bmi2.X64.MultiplyNoFlags), [typeof(ulong), typeof(ulong)])!;
    private static readonly MethodInfo s_trailingZeros = typeof(BitOperations).GetMethod(nameof(BitOperations.TrailingZeroCount), [typeof(ulong)])!;
    private static readonly MethodInfo s_bigMulSigned = typeof(Math).GetMethod(nameof(Math.BigMul), [typeof(long), typeof(long), typeof(long).MakeByRefType()])!;

    private static MethodInfo FindArrayDataReference()
    {
        foreach (var m in typeof(MemoryMarshal).GetMethods(BindingFlags.Public | BindingFlags.Static))
            if (m.Name == nameof(MemoryMarshal.GetArrayDataReference) && m.IsGenericMethodDefinition)
                return m.MakeGenericMethod(typeof(byte));
        throw new MissingMethodException(nameof(MemoryMarshal), nameof(MemoryMarshal.GetArrayDataReference));
    }

    /// <summary>The core an opcode calls (JEVM_PLANT_BUG=sar: SAR calls SHR's).</summary>
    private static MethodInfo? CoreOf(byte op) => op == SAR && PlantedBug.LogicalSar ? s_cores[SHR] : s_cores[op];

    private static Type[]?[]? s_coreParameterTypes;

    /// <summary>The parameter types of each opcode's core (reflection's GetParameters allocates: looked up once).</summary>
    private static Type[] ParameterTypesOf(byte op)
    {
        var table = s_coreParameterTypes ??= BuildParameterTypes();
        return table[op] ?? throw new InvalidOperationException($"opcode 0x{op:x2} has no core");
    }

    private static Type[]?[] BuildParameterTypes()
    {
        var t = new Type[]?[256];
        for (int op = 0; op < 256; op++)
        {
            if (CoreOf((byte)op) is not { } core) continue;
            var ps = core.GetParameters();
            var types = new Type[ps.Length];
            for (int i = 0; i < ps.Length; i++) types[i] = ps[i].ParameterType;
            t[op] = types;
        }
        return t;
    }

    private static bool UsesGas(byte op)
    {
        foreach (var type in ParameterTypesOf(op)) if (type == typeof(long).MakeByRefType()) return true;
        return false;
    }

    private enum EntryKind : byte
    {
        /// <summary>In the EVM stack memory at its own position (the state of every item on block entry).</summary>
        Slot,
        /// <summary>A value known at compile time (PUSH, PC, folded arithmetic), not stored anywhere.</summary>
        Const,
        /// <summary>In a set of four <c>ulong</c> IL locals (shared, read-only, by DUPs of the same value).</summary>
        Local,
        /// <summary>
        /// The result of a node the IR removed as dead: no instruction reads it and it is not on the block's exit stack,
        /// so it is never computed and never written (the interpreter, should it take over mid-block, only pops it).
        /// </summary>
        Dead,
    }

    /// <summary>Where one stack item of the block being emitted is.</summary>
    private struct Entry
    {
        public EntryKind Kind;
        public int Set;
        public UInt256 Value;

        public static Entry Constant(in UInt256 value) => new() { Kind = EntryKind.Const, Value = value };
        public static Entry InLocals(int set) => new() { Kind = EntryKind.Local, Set = set };
        public static Entry DeadValue => new() { Kind = EntryKind.Dead };
    }

    /// <summary>
    /// What a static jump leaves its target (see EmitTaken): the label of its path in, the sets in locals at their
    /// topmost position, the other positions holding one of them, and the constants.
    /// </summary>
    private sealed record TakenCarry(Label Label, (int Position, int Set)[] Items, (int Position, int Set)[] Copies,
        (int Position, UInt256 Value)[] Constants);

    /// <summary>
    /// Emits the IL of one region (or, with a measuring emitter, of single blocks). Within a block the EVM stack is
    /// virtual: each item is a compile-time constant, a set of four ulong locals, or still in the EVM stack memory;
    /// items reach memory only when control leaves the block, when the interpreter may take over, or when an
    /// instruction core reads them there.
    /// </summary>
    private sealed class RegionBuilder
    {
        // Sets of four ulong locals per region (RyuJIT tracks up to 1024 locals; DUP/SWAP-heavy blocks rarely keep more
        // than a few dozen values live). When they run out, the whole virtual stack is written to memory.
        private const int MaxSets = 16;

        private readonly IrFunction _fn;
        private readonly BytecodeAnalysis _analysis;
        private readonly IrBlockCursor _cursor;
        // Every region's method and the region of every segment: a static branch out of the region tail-calls the
        // method that holds its target, a computed one the dispatcher (null while metering).
        private readonly DynamicMethod[] _methods;
        private readonly int[] _regionOf;
        private readonly DynamicMethod? _dispatcher;
        // Per continuation segment: the constants on the stack where its block was cut (position relative to the cut's
        // height, value), recorded by the segment before it; null while metering.
        private readonly (int, UInt256)[]?[]? _carried;
        private readonly Segment[] _segments;
        private readonly int[] _firstSegmentOf;
        private readonly IlEmitter _il;
        private readonly int _first, _end;
        private readonly Label[] _blockLabels;
        private readonly List<(Label Label, int Pc, int Height, long Correction)> _fallbacks = new();
        // Memory expansions charged inline, emitted after the region's code (see EmitMemoryGrow).
        private readonly List<(Label Label, long Correction, Label Address)> _growths = new();
        private readonly Dictionary<(int Pc, int Height, long Correction), Label> _fallbackStubs = new();
        private readonly Label _dispatch, _continue, _fallback, _error, _badJump, _outOfGas;
        // End of the block being emitted; its last instruction that needs an exact hand-over (see ExactAfter).
        private int _blockEnd, _lastExactPc = -1, _lastExactBlock = -1;
        private readonly LocalBuilder? _stack, _top, _gas, _sp, _gasCell, _status, _target, _x, _y, _t, _c, _address, _low64, _zero, _count, _accessEnd;

        private readonly List<LocalBuilder?[]> _sets = new();
        private readonly int[] _setRefs = new int[MaxSets];
        // True for a set written in this segment by a comparison (ISZERO, EQ, LT, GT, SLT, SGT): limb 0 is the 0 or 1 of a
        // compare, limbs 1-3 are zero. Its zero test then needs neither the high limbs nor the opaque zero (no rotate
        // makes a compare's result), and RyuJIT can fold ISZERO chains and JUMPI into the compare's own branch. Cleared
        // when a segment begins: a carried set's locals may hold what a computed jump's entry loaded from memory.
        private readonly bool[] _setIsBool = new bool[MaxSets];
        // Per set: a bound, in bits, on the value it holds (256 when nothing is known), from what wrote it or from an
        // access that succeeded only for a value below it (a memory offset: 32 bits). Its limbs at and above the bound
        // hold zero, and Ld pushes them as the constant 0, so the .NET JIT folds what they would feed (the carries of
        // a pointer's ADD, the high-limb test of the next memory access at it). Forgotten when a taken jump's segment
        // begins (the computed jumps' entry loads its sets from memory).
        private readonly int[] _setBits = new int[MaxSets];
        private readonly Stack<int> _freeSets = new();
        // Per set: how many times it has been taken (see NewSet); a set's limbs change only when it is taken again.
        private readonly int[] _setTakes = new int[MaxSets];
        private readonly Entry[] _entries;
        // Per position (indexed like _entries): a set a DUP or SWAP loaded the item in memory there into, and that set's
        // take (see LoadedCopy); Set is 0 and Take 0 (never a take) when none.
        private readonly (int Set, int Take)[] _loadedInto;
        // Positions relative to the block's entry height run from -1024 to +1024, and never further than the code is long
        // (plus the 16 items a DUP16 or SWAP16 reaches below).
        private readonly int _offset;
        // Whether the segment being emitted has computed its entry top yet (see EnsureTop).
        private bool _topReady;
        // The segment being emitted; the segment that starts with the virtual stack the one before left (see
        // CarryIntoNext), or -1.
        private int _segment, _carryInto = -1;
        // Per segment: the entry label and the items in locals that a static jump carries into it (see EmitTaken).
        private readonly Dictionary<int, TakenCarry> _takenCarries = new();
        // Positions below _low are implicitly Slot; _h is the current height relative to the block's entry.
        private int _low, _h;

        public RegionBuilder(IrFunction fn, Segment[] segments, int[] firstSegmentOf, IlEmitter il, int first, int end,
            DynamicMethod[]? methods = null, int[]? regionOf = null, DynamicMethod? dispatcher = null, (int, UInt256)[]?[]? carried = null)
        {
            _carried = carried;
            _methods = methods ?? [];
            _regionOf = regionOf ?? [];
            _dispatcher = dispatcher;
            var analysis = fn.Analysis;
            _fn = fn;
            _analysis = analysis;
            _cursor = new IrBlockCursor(fn);
            _offset = Math.Min(1040, analysis.Code.Length + 40);
            _entries = new Entry[2 * _offset + 8];
            _loadedInto = new (int, int)[_entries.Length];
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
            _outOfGas = il.DefineLabel();
            _stack = il.DeclareLocal(typeof(UInt256).MakeByRefType());
            _top = il.DeclareLocal(typeof(UInt256).MakeByRefType());
            _gas = il.DeclareLocal(typeof(long));
            _sp = il.DeclareLocal(typeof(int));
            _gasCell = il.DeclareLocal(typeof(long));
            _status = il.DeclareLocal(typeof(int));
            _target = il.DeclareLocal(typeof(int));
            _x = il.DeclareLocal(typeof(ulong));
            _y = il.DeclareLocal(typeof(ulong));
            _t = il.DeclareLocal(typeof(ulong));
            _c = il.DeclareLocal(typeof(ulong));
            _address = il.DeclareLocal(typeof(byte).MakeByRefType());
            // Math.BigMul's out parameter: its own local, since taking an address keeps a local out of registers.
            _low64 = il.DeclareLocal(typeof(ulong));
            _zero = il.DeclareLocal(typeof(ulong));
            _count = il.DeclareLocal(typeof(int));
            _accessEnd = il.DeclareLocal(typeof(ulong));
            ResetStack();
        }

        private bool InRegion(int segment) => segment >= _first && segment < _end;

        public void Emit()
        {
            // ref UInt256 stack = ref frame.Stack[0]; long gas = state.Gas; int sp = state.Sp; target = state.Block;
            _il.Ldarg0(); _il.Ldfld(s_frameStack); _il.Ldc(0); _il.Ldelema(typeof(UInt256)); _il.Stloc(_stack);
            _il.Ldarg1(); _il.Ldfld(s_stateGas); _il.Stloc(_gas);
            _il.Ldarg1(); _il.Ldfld(s_stateSp); _il.Stloc(_sp);
            _il.Ldarg1(); _il.Ldfld(s_stateBlock); _il.Stloc(_target);
            _il.Ldarg1(); _il.Ldfld(s_stateZero); _il.Stloc(_zero);

            // dispatch: switch (target - first) { case i: goto block_i; } — dynamic jumps land here too.
            _il.MarkLabel(_dispatch);
            _il.Ldloc(_target); _il.Ldc(_first); _il.Sub(); _il.Switch(_blockLabels);
            // Not in this region (a computed jump): state.Block = target; save gas and sp; then, unless this is the
            // compile-time probe (target < 0), tail-call the dispatcher, which tail-calls the region holding the target.
            // The only region of its code is left here by the probe alone (every valid target is in it): no state to
            // save and no call of the dispatcher, less for the .NET JIT to compile (most small codes are one region).
            _il.MarkLabel(_continue);
            if (_methods.Length != 1)
            {
                EmitSaveState();
                var probe = _il.DefineLabel();
                _il.Ldloc(_target); _il.Ldc(0); _il.Blt(probe);
                _il.Ldarg0(); _il.Ldarg1(); _il.Ldarg2(); _il.TailCall(_dispatcher!);
                _il.MarkLabel(probe);
            }
            _il.Ldc(RegionExit.Continue); _il.Ret();

            for (int i = _first; i < _end; i++) EmitSegment(i);

            // Fallback stubs: sp += height; gas += correction; state.Pc = pc; → the interpreter continues there.
            foreach (var (label, pc, height, correction) in _fallbacks)
            {
                _il.MarkLabel(label);
                MoveSp(height);
                if (correction != 0) { _il.Ldloc(_gas); _il.LdcI8(correction); _il.Add(); _il.Stloc(_gas); }
                _il.Ldc(pc); _il.Stloc(_target); _il.Br(_fallback);
            }
            foreach (var (label, correction, address) in _growths) EmitGrowth(label, correction, address);
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

            _il.MarkLabel(_outOfGas);
            _il.Ldc((int)StatusCode.OutOfGas); _il.Ret();
        }

        /// <summary>
        /// Whether running out of gas after a dynamic charge at <paramref name="next"/> must hand over to the
        /// interpreter. When the rest of the block holds only instructions that either succeed or fail with
        /// OutOfGas, the interpreter could only end the frame with OutOfGas (the rest's static gas cannot all be
        /// paid, and every exceptional halt consumes all gas and reverts): return it directly, with no need for the
        /// stack in memory. Instructions that can fail otherwise first (static-context writes, RETURNDATACOPY out of
        /// bounds) or that call out keep the exact hand-over.
        /// </summary>
        private bool ExactAfter(int next) => next <= _lastExactPc;

        /// <summary>
        /// Starts block <paramref name="b"/>: its end, and the offset of its last instruction that can fail otherwise
        /// than by running out of gas or that calls out (-1 when none), which <see cref="ExactAfter"/> compares with.
        /// </summary>
        private void BeginBlock(int b)
        {
            var block = _analysis.Blocks[b];
            _blockEnd = block.End;
            if (_lastExactBlock == b) return;
            _lastExactBlock = b;
            _lastExactPc = -1;
            var code = _analysis.Code;
            for (int pc = block.Start; pc < block.End; pc += 1 + ImmediateSize(code[pc]))
            {
                byte op = code[pc];
                if (op is RETURNDATACOPY or SSTORE or TSTORE or >= LOG0 and <= LOG4 or CREATE or CALL or CALLCODE
                    or DELEGATECALL or CREATE2 or STATICCALL or SELFDESTRUCT)
                    _lastExactPc = pc;
            }
        }

        /// <summary>
        /// A stub (emitted at the end of the region) that hands the frame to the interpreter at <paramref name="pc"/>;
        /// one per distinct (pc, height, correction) in a segment (a block's stack and gas checks share theirs).
        /// </summary>
        private Label Fallback(int pc, int height, long correction)
        {
            if (_fallbackStubs.TryGetValue((pc, height, correction), out var existing)) return existing;
            var label = _il.DefineLabel();
            _fallbackStubs.Add((pc, height, correction), label);
            if (_il.Measuring)
            {
                // Count the stub where it would be emitted (at the end of the region).
                _il.MarkLabel(label);
                MoveSp(height);
                if (correction != 0) { _il.Ldloc(_gas); _il.LdcI8(correction); _il.Add(); _il.Stloc(_gas); }
                _il.Ldc(pc); _il.Stloc(_target); _il.Br(_fallback);
            }
            else _fallbacks.Add((label, pc, height, correction));
            return label;
        }

        /// <summary>
        /// Computes the segment's entry top (<c>top = ref stack[sp]</c>) the first time the segment needs it. A segment
        /// that never touches stack memory (a run of JUMPDESTs, constants only) goes without. Emitted where it
        /// dominates every later use: lazily only from straight-line code, and explicitly at the start of each IR node
        /// and terminator, before any of their conditional paths.
        /// </summary>
        private void EnsureTop()
        {
            if (_topReady) return;
            _topReady = true;
            // ref UInt256 top = ref Unsafe.Add(ref stack, sp);
            _il.Ldloc(_stack); _il.Ldloc(_sp); _il.Ldc(32); _il.Mul(); _il.ConvI(); _il.Add(); _il.Stloc(_top);
        }

        /// <summary>Pushes the address of the stack item at <paramref name="height"/> relative to the block's entry height.</summary>
        private void Slot(int height)
        {
            EnsureTop();
            _il.Ldloc(_top);
            if (height != 0) { _il.Ldc(height * 32); _il.Add(); } // byref + int32 (RyuJIT widens the offset)
        }

        /// <summary>Pushes the address of limb <paramref name="limb"/> of the item at <paramref name="height"/>.</summary>
        private void LimbAddress(int height, int limb)
        {
            EnsureTop();
            _il.Ldloc(_top);
            int offset = height * 32 + limb * 8;
            if (offset != 0) { _il.Ldc(offset); _il.Add(); }
        }

        private void LoadLimb(int height, int limb) { LimbAddress(height, limb); _il.LdindI8(); }

        /// <summary>sp += change (nothing for 0).</summary>
        private void MoveSp(int change)
        {
            if (change != 0) { _il.Ldloc(_sp); _il.Ldc(change); _il.Add(); _il.Stloc(_sp); }
        }

        // ---- The virtual stack ----

        private void ResetStack()
        {
            _low = 1;
            _h = 0;
            Array.Clear(_loadedInto);
            Array.Clear(_setRefs);
            RebuildFreeSets();
        }

        /// <summary>The free sets from the reference counts (lowest on top, as they were first taken).</summary>
        private void RebuildFreeSets()
        {
            _freeSets.Clear();
            for (int s = _sets.Count - 1; s >= 0; s--) if (_setRefs[s] == 0) _freeSets.Push(s);
        }

        private Entry Get(int p) => p < _low ? default : _entries[p + _offset];

        private void Put(int p, Entry e)
        {
            if (p < _low)
            {
                for (int q = p + 1; q < _low; q++) _entries[q + _offset] = default;
                _low = p;
            }
            _entries[p + _offset] = e;
            _loadedInto[p + _offset] = default;
        }

        private void Push(Entry e) { _h++; Put(_h, e); }

        private void Pop(int n)
        {
            for (int i = 0; i < n; i++)
            {
                var e = Get(_h);
                if (e.Kind == EntryKind.Local) Release(e.Set);
                _h--;
            }
        }

        private int NewSet()
        {
            int s;
            if (_freeSets.Count > 0) s = _freeSets.Pop();
            else
            {
                s = _sets.Count;
                if (s == MaxSets) throw new InvalidOperationException("no free local set (EnsureSets not called)");
                _sets.Add([_il.DeclareLocal(typeof(ulong)), _il.DeclareLocal(typeof(ulong)), _il.DeclareLocal(typeof(ulong)), _il.DeclareLocal(typeof(ulong))]);
            }
            _setRefs[s] = 1;
            _setIsBool[s] = false;
            _setBits[s] = 256;
            _setTakes[s]++;
            return s;
        }

        private void Release(int s)
        {
            if (--_setRefs[s] == 0) _freeSets.Push(s);
        }

        /// <summary>
        /// Makes sure <paramref name="n"/> local sets can be taken: while they cannot, the deepest item held in locals
        /// is written to its place in memory (the items nearest the top are the ones used next).
        /// </summary>
        private void EnsureSets(int n)
        {
            int p = _low;
            while (_freeSets.Count + MaxSets - _sets.Count < n)
            {
                while (p <= _h && _entries[p + _offset].Kind != EntryKind.Local) p++;
                if (p > _h) { FlushAll(); return; }
                FlushRange(p, p);
            }
        }

        private static ulong Limb(in UInt256 v, int k) => k switch { 0 => v.U0, 1 => v.U1, 2 => v.U2, _ => v.U3 };

        /// <summary>Pushes limb <paramref name="k"/> of the item at position <paramref name="p"/>, wherever it is.</summary>
        private void Ld(int p, int k)
        {
            var e = Get(p);
            switch (e.Kind)
            {
                case EntryKind.Const: _il.LdcU8(Limb(e.Value, k)); break;
                case EntryKind.Local:
                    if (64 * k >= _setBits[e.Set]) _il.LdcU8(0); // known zero (see _setBits)
                    else _il.Ldloc(_sets[e.Set][k]);
                    break;
                case EntryKind.Dead: throw new InvalidOperationException("a value the IR found dead is read");
                default: LoadLimb(p, k); break;
            }
        }

        private void St(int set, int k) => _il.Stloc(_sets[set][k]);

        private void StZero(int set, int from)
        {
            for (int k = from; k < 4; k++) { _il.LdcU8(0); St(set, k); }
        }

        /// <summary>A new local set holding the item at <paramref name="p"/>, which is in memory.</summary>
        private int LoadToSet(int p)
        {
            int s = NewSet();
            for (int k = 0; k < 4; k++) { LoadLimb(p, k); St(s, k); }
            return s;
        }

        /// <summary>
        /// A reference to a set holding the item at <paramref name="p"/>, which is in memory: the set an earlier DUP or
        /// SWAP of the same position loaded, while the position is unchanged (every change goes through
        /// <see cref="Put"/>, which forgets it) and the set still holds that value (still referenced, not taken since),
        /// else a new set loaded from memory. Copies of one value then share one set, in the block and across a
        /// static jump that carries them (see EmitTaken).
        /// </summary>
        private int LoadedCopy(int p)
        {
            var (set, take) = _loadedInto[p + _offset];
            if (take != 0 && _setTakes[set] == take && _setRefs[set] > 0)
            {
                _setRefs[set]++;
                return set;
            }
            int s = LoadToSet(p);
            _loadedInto[p + _offset] = (s, _setTakes[s]);
            return s;
        }

        private void StoreEntry(int p)
        {
            for (int k = 0; k < 4; k++) { LimbAddress(p, k); Ld(p, k); _il.StindI8(); }
        }

        /// <summary>Writes the items at positions [lo, hi] that are not in memory to memory; they are Slot afterwards.</summary>
        private void FlushRange(int lo, int hi)
        {
            for (int p = Math.Max(lo, _low); p <= hi; p++)
            {
                var e = _entries[p + _offset];
                if (e.Kind == EntryKind.Slot) continue;
                if (e.Kind != EntryKind.Dead) StoreEntry(p);
                if (e.Kind == EntryKind.Local) Release(e.Set);
                _entries[p + _offset] = default;
            }
        }

        /// <summary>Writes the whole virtual stack to memory (before control leaves the block or the interpreter may resume).</summary>
        private void FlushAll()
        {
            FlushRange(_low, _h);
            _low = _h + 1;
        }

        /// <summary>Writes the whole virtual stack to memory on one path only (a slow path); the compile-time state is unchanged.</summary>
        private void EmitStores() => EmitStores(_low, _h);

        /// <summary>Writes the items at [lo, hi] that are not in memory, on one path only; the compile-time state is unchanged.</summary>
        private void EmitStores(int lo, int hi)
        {
            for (int p = Math.Max(lo, _low); p <= hi; p++)
                if (_entries[p + _offset].Kind is EntryKind.Const or EntryKind.Local) StoreEntry(p);
        }

        // ---- Halts, jumps ----

        /// <summary>
        /// ORs the value on the IL stack with a zero the .NET JIT cannot see through, before it is compared with zero.
        /// RyuJIT (.NET 10) turns <c>(x &lt;&lt; c) | (x &gt;&gt; 64 - c)</c> into a rotate, then may drop the
        /// <c>test</c> before a zero comparison of it believing the rotate set the zero flag, which ROL/ROR do not
        /// (dotnet/runtime#129288: found by jevm fuzz as ISZERO(SHL(125, x AND 0xffff)) giving 0 for x = 0). After the
        /// OR the comparison reads the flags of an OR, which are right.
        /// </summary>
        private void OrOpaqueZero() { _il.Ldloc(_zero); _il.Or(); }

        /// <summary>True when item <paramref name="p"/> is a comparison's 0 or 1 written in this segment (see <see cref="_setIsBool"/>).</summary>
        private bool IsBool(int p) => Get(p) is { Kind: EntryKind.Local } e && _setIsBool[e.Set];

        /// <summary>A bound, in bits, on item <paramref name="p"/>: a constant's length, a set's known bound (see _setBits), else 256.</summary>
        private int Bits(int p)
        {
            var e = Get(p);
            return e.Kind switch
            {
                EntryKind.Const => 256 - UInt256.LeadingZeroCount(e.Value),
                EntryKind.Local => _setBits[e.Set],
                _ => 256,
            };
        }

        /// <summary>Records that set <paramref name="set"/> holds a value below 2^<paramref name="bits"/> (see _setBits).</summary>
        private void Bound(int set, int bits) => _setBits[set] = Math.Min(_setBits[set], bits);

        /// <summary>Set <paramref name="r"/> holds a comparison's 0 or 1 (see _setIsBool and _setBits).</summary>
        private void MarkBool(int r)
        {
            _setIsBool[r] = true;
            Bound(r, 1);
        }

        /// <summary>After a memory access at item <paramref name="o"/> succeeded: its set holds an offset below 2^32.</summary>
        private void BoundOffset(int o)
        {
            if (Get(o) is { Kind: EntryKind.Local } e) Bound(e.Set, 32);
        }

        /// <summary>
        /// Pushes a value that is zero exactly when item <paramref name="p"/> is: the OR of its limbs and the opaque zero,
        /// or for a comparison's result its limb 0 alone (no rotate there, and RyuJIT folds the test into the compare).
        /// </summary>
        private void LdZeroTest(int p)
        {
            Ld(p, 0);
            if (IsBool(p)) return;
            Ld(p, 1); _il.Or(); Ld(p, 2); _il.Or(); Ld(p, 3); _il.Or(); OrOpaqueZero();
        }

        /// <summary>True when item <paramref name="p"/> is a constant below 2^64.</summary>
        private bool IsSmallConstant(int p) => Get(p) is { Kind: EntryKind.Const } e && e.Value.FitsInUInt64;

        /// <summary>
        /// Branches to <paramref name="target"/> when limb <paramref name="k"/> of items <paramref name="x"/> and
        /// <paramref name="y"/> are equal. Against a constant zero the limb is ORed with the opaque zero first (see
        /// <see cref="OrOpaqueZero"/>): a bare zero test is the comparison RyuJIT may drop after a rotate.
        /// </summary>
        private void EmitBranchIfEqual(int x, int y, int k, Label target)
        {
            bool xZero = Get(x).Kind == EntryKind.Const && Limb(Get(x).Value, k) == 0;
            bool yZero = Get(y).Kind == EntryKind.Const && Limb(Get(y).Value, k) == 0;
            if (xZero || yZero)
            {
                Ld(xZero ? y : x, k); OrOpaqueZero(); _il.Brfalse(target);
                return;
            }
            Ld(x, k); Ld(y, k); _il.Beq(target);
        }

        /// <summary>state.Block = target; state.Gas = gas; state.Sp = sp;</summary>
        private void EmitSaveState()
        {
            _il.Ldarg1(); _il.Ldloc(_target); _il.Stfld(s_stateBlock);
            _il.Ldarg1(); _il.Ldloc(_gas); _il.Stfld(s_stateGas);
            _il.Ldarg1(); _il.Ldloc(_sp); _il.Stfld(s_stateSp);
        }

        private void Halt(StatusCode status)
        {
            // state.Gas = gas; return status;
            _il.Ldarg1(); _il.Ldloc(_gas); _il.Stfld(s_stateGas);
            _il.Ldc((int)status); _il.Ret();
        }

        /// <summary>sp += stackChange; continues at the first segment of <paramref name="block"/>.</summary>
        private void GoTo(int block, int stackChange) =>
            // The meter has no segment table yet: it counts the longest form of the branch.
            GoToSegment(_firstSegmentOf.Length == 0 ? int.MaxValue : _firstSegmentOf[block], stackChange);

        private void GoToSegment(int segment, int stackChange)
        {
            MoveSp(stackChange);
            if (InRegion(segment)) _il.Br(_blockLabels[segment - _first]);
            else
            {
                // state.Block = segment; save gas and sp; return evm_region_r(frame, ref state, destinations);
                _il.Ldc(segment); _il.Stloc(_target);
                EmitSaveState();
                _il.Ldarg0(); _il.Ldarg1(); _il.Ldarg2();
                if (_il.Measuring) _il.TailCall(null); else _il.TailCall(_methods[_regionOf[segment]]);
            }
        }

        /// <summary>Starts measuring block <paramref name="block"/> (the virtual stack empty, as on block entry).</summary>
        public void BeginMeter(int block)
        {
            ResetStack();
            BeginBlock(block);
            PutEntryConstants(block);
            _cursor.Reset(_fn.Blocks[block]);
        }

        /// <summary>
        /// The entry slots the IR proved constant on every path into block <paramref name="b"/> (entry constant
        /// propagation) become constants of the virtual stack: they are in memory too, so exits that write them write
        /// the same value.
        /// </summary>
        private void PutEntryConstants(int b)
        {
            var block = _fn.Blocks[b];
            if (block.IsRemoved) return;
            for (int k = 0; k < block.ParameterCount; k++)
            {
                int id = block.FirstParameter + k;
                // A position the block before left in locals keeps them (the same value).
                if (_fn.Values[id].IsConstant && Get(-k).Kind == EntryKind.Slot) Put(-k, Entry.Constant(_fn.ConstantOf(id)));
            }
        }

        /// <summary>Moves the meter to the block's next instruction; false at its end.</summary>
        public bool MeterNext(out int pc, out int next)
        {
            bool more = _cursor.MoveNext();
            pc = _cursor.Pc;
            next = _cursor.NextPc;
            return more;
        }

        /// <summary>Restarts the virtual stack where a block is cut into a new segment (everything in memory).</summary>
        public void CutMeter() => ResetStack();


        /// <summary>Counts the IL of the current instruction (with a gas correction) into the meter.</summary>
        public void MeterInstruction(int block)
        {
            var b = _analysis.Blocks[block];
            int pc = _cursor.Pc;
            if (pc == b.LastPc && b.EndKind is not (BlockEndKind.FallThrough or BlockEndKind.ImplicitStop))
            {
                EmitTerminator(block, b, _cursor.Opcode, pc);
                return;
            }
            // Blocks too deep to ever run compiled are metered approximately (the virtual stack has ±1024 positions).
            if (_h > 1000 || _h < -1000) ResetStack();
            EmitInstruction(1);
        }

        public void EmitSegment(int segment)
        {
            var seg = _segments[segment];
            int b = seg.Block;
            var block = _analysis.Blocks[b];
            _segment = segment;
            Array.Clear(_setIsBool);
            bool fromJumpI = _carryInto == segment;
            if (!fromJumpI) Array.Fill(_setBits, 256);
            _carryInto = -1;
            _fallbackStubs.Clear();
            bool itemsInLocals = false;
            if (fromJumpI)
            {
                // Entered only by falling through from the JUMPI before it, which left its virtual stack (see
                // CarryIntoNext). The dispatch switch needs a label for the segment but never takes it (no computed
                // jump reaches a block without a JUMPDEST, no other region enters it); should it, the interpreter runs it.
                var body = _il.DefineLabel();
                _il.Br(body);
                _il.MarkLabel(_blockLabels[segment - _first]);
                _il.Br(Fallback(block.Start, 0, 0));
                _il.MarkLabel(body);
                itemsInLocals = HasItemsOutOfMemory(_low, _h);
            }
            else if (_takenCarries.Remove(segment, out var carry))
            {
                ResetStack();
                foreach (var (position, set) in carry.Items) { Put(position, Entry.InLocals(set)); _setRefs[set]++; }
                foreach (var (position, set) in carry.Copies) { Put(position, Entry.InLocals(set)); _setRefs[set]++; }
                foreach (var (position, value) in carry.Constants) Put(position, Entry.Constant(value));
                RebuildFreeSets();
                BeginBlock(b);
                PutEntryConstants(b);
                EmitCarriedEntry(block, carry);
                goto body;
            }
            else
            {
                if (!_il.Measuring || InRegion(segment)) _il.MarkLabel(_blockLabels[segment - _first]);
                ResetStack();
            }
            BeginBlock(b);
            if (!seg.Continuation) PutEntryConstants(b);
            else if (_carried?[segment] is { } carried)
                foreach (var (position, value) in carried) Put(position, Entry.Constant(value));
            EmitEntry(b, seg.Continuation, itemsInLocals);
            if (EntryIsAll(b))
            {
                // A continuation of a block whose entry always falls back is never reached.
                if (seg.Continuation && !_fn.Blocks[b].IsRemoved) Halt(StatusCode.Success);
                return;
            }

        body:
            _cursor.Reset(_fn.Blocks[b]);
            while (_cursor.MoveNext())
            {
                int pc = _cursor.Pc;
                if (pc < seg.Start) continue;
                if (pc >= seg.End) break;
                long correction = 0;
                if (_cursor.Node >= 0)
                {
                    ref readonly var node = ref _fn.Nodes[_cursor.Node];
                    if ((node.Flags & (IrNodeFlags.ObservesGas | IrNodeFlags.DynamicGas)) != 0)
                        correction = node.GasCorrection - PlantedUndercharge(_cursor.NextPc, block.End);
                }
                if (pc == block.LastPc && block.EndKind is not (BlockEndKind.FallThrough or BlockEndKind.ImplicitStop))
                {
                    EmitTerminator(b, block, _cursor.Opcode, pc);
                    return;
                }
                EmitInstruction(correction);
            }
            if (seg.End < block.End)
            {
                // End of a segment cut from a larger block: the next segment continues it, and only from here, so it
                // may go on treating the constants on the stack as constants (they are written to memory as well).
                if (_carried is not null)
                {
                    var constants = new List<(int, UInt256)>();
                    for (int p = _low; p <= _h; p++)
                        if (_entries[p + _offset].Kind == EntryKind.Const) constants.Add((p - _h, _entries[p + _offset].Value));
                    _carried[segment + 1] = constants.ToArray();
                }
                FlushAll();
                GoToSegment(segment + 1, _h);
            }
            else EmitExit(b);
        }

        /// <summary>
        /// A segment's entry: the address of its entry top, then (for a block's first segment) the block's stack and
        /// gas checks; an unreachable block's entry hands the frame to the interpreter.
        /// </summary>
        private void EmitEntry(int b, bool continuation, bool itemsInLocals = false)
        {
            var block = _analysis.Blocks[b];
            if (_fn.Blocks[b].IsRemoved)
            {
                // The IR proved the block unreachable: nothing to emit (should control ever arrive, the interpreter runs it).
                _il.Br(Fallback(block.Start, 0, 0));
                return;
            }
            _topReady = false;
            if (!continuation) EmitBlockChecks(block, itemsInLocals);
        }

        /// <summary>
        /// The two entries of a block a static jump carries items into (see <see cref="EmitTaken"/>): from the dispatch
        /// switch (a computed jump; everything in memory) the checks, then the items loaded into the same locals, and
        /// the positions the jump left as copies of a set or as constants compared with what memory holds there (should
        /// one differ, the interpreter runs the block: the compiled body assumes the jump's values); from the jump, the
        /// checks, writing the items to memory should one fail. Both go on to the block's body.
        /// </summary>
        private void EmitCarriedEntry(BasicBlock block, TakenCarry carry)
        {
            var body = _il.DefineLabel();
            _il.MarkLabel(_blockLabels[_segment - _first]);
            _topReady = false;
            EmitBlockChecks(block, itemsInLocals: false);
            foreach (var (position, set) in carry.Items)
                for (int k = 0; k < 4; k++) { LoadLimb(position, k); St(set, k); }
            if (carry.Copies.Length + carry.Constants.Length > 0)
            {
                // The block's static gas is charged by now: the interpreter charges it again.
                var differs = Fallback(block.Start, 0, ChargedStaticGas(block));
                foreach (var (position, set) in carry.Copies)
                    for (int k = 0; k < 4; k++) { LoadLimb(position, k); _il.Ldloc(_sets[set][k]); _il.BneUn(differs); }
                foreach (var (position, value) in carry.Constants)
                    for (int k = 0; k < 4; k++) { LoadLimb(position, k); _il.LdcU8(Limb(value, k)); _il.BneUn(differs); }
            }
            _il.Br(body);
            _il.MarkLabel(carry.Label);
            _topReady = false;
            EmitBlockChecks(block, itemsInLocals: true);
            _il.MarkLabel(body);
            _topReady = true;
        }

        /// <summary>True when the entry is all there is of a block: it is unreachable, or its stack check always fails.</summary>
        private bool EntryIsAll(int b) => _fn.Blocks[b].IsRemoved || NeverCompiled(_analysis.Blocks[b]);

        /// <summary>The end of a block that has no terminator instruction: fall through to the next block, or the end of the code.</summary>
        private void EmitExit(int b)
        {
            if (_analysis.Blocks[b].EndKind == BlockEndKind.FallThrough)
            {
                // Fell off the block: the next block starts at a JUMPDEST.
                FlushAll();
                GoTo(b + 1, _h);
            }
            else if (_analysis.Blocks[b].EndKind == BlockEndKind.ImplicitStop) Halt(StatusCode.Success); // the code ended: implicit STOP
        }

        /// <summary>Counts a segment's entry (see <see cref="EmitEntry"/>).</summary>
        public void MeterEntry(int b, bool continuation)
        {
            _fallbackStubs.Clear();
            // The segment's own label (a basic block, and a target of the region's dispatch switch).
            _il.MarkLabel(default);
            EmitEntry(b, continuation);
        }

        /// <summary>True when the entry metered by <see cref="MeterEntry"/> is the whole block.</summary>
        public bool MetersWholeBlockAtEntry(int b) => EntryIsAll(b);

        /// <summary>Counts the end of a block that has no terminator instruction (see <see cref="EmitExit"/>).</summary>
        public void MeterExit(int b) => EmitExit(b);

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

        /// <summary>A block whose stack needs cannot be met at any height: it always falls back at entry.</summary>
        private static bool NeverCompiled(BasicBlock block) =>
            GasCosts.MaxStackHeight - block.StackMaxGrowth - block.StackRequired < 0;

        /// <summary>The static gas a block's entry charges (JEVM_PLANT_BUG=gas:OP: less the planted undercharge).</summary>
        private long ChargedStaticGas(BasicBlock block) => block.StaticGas - PlantedUndercharge(block.Start, block.End);

        private void EmitBlockChecks(BasicBlock block, bool itemsInLocals)
        {
            // With items of the block before still in locals (see CarryIntoNext, EmitTaken), a failed check writes them
            // to memory before the interpreter takes over.
            if (itemsInLocals) EnsureTop();
            var fail = itemsInLocals ? _il.DefineLabel() : Fallback(block.Start, 0, 0);
            // if ((uint)(sp - need) > (uint)(1024 - growth - need)) fall back (underflow or overflow somewhere in the block)
            int need = block.StackRequired, growth = block.StackMaxGrowth;
            if (need > 0 || growth > 0)
            {
                int limit = GasCosts.MaxStackHeight - growth - need;
                if (limit < 0) { _il.Br(Fallback(block.Start, 0, 0)); return; } // never runs compiled: the interpreter fails it
                _il.Ldloc(_sp); _il.Ldc(need); _il.Sub(); _il.Ldc(limit); _il.BgtUn(fail);
            }
            // if (gas < staticGas) fall back; gas -= staticGas;
            long staticGas = ChargedStaticGas(block);
            if (staticGas > 0)
            {
                _il.Ldloc(_gas); _il.LdcI8(staticGas); _il.Blt(fail);
                _il.Ldloc(_gas); _il.LdcI8(staticGas); _il.Sub(); _il.Stloc(_gas);
            }
            if (itemsInLocals)
            {
                var ok = _il.DefineLabel();
                _il.Br(ok);
                _il.MarkLabel(fail);
                EmitStores();
                _il.Br(Fallback(block.Start, 0, 0));
                _il.MarkLabel(ok);
            }
        }

        // ---- Instructions ----

        /// <summary>Emits the cursor's current instruction (its IR node, if any) with the given gas correction.</summary>
        private void EmitInstruction(long correction)
        {
            EnsureSets(2);
            byte op = _cursor.Opcode;
            int pc = _cursor.Pc, next = _cursor.NextPc;
            switch (op)
            {
                case JUMPDEST:
                    return;
                case POP:
                    Pop(1);
                    return;
                case >= PUSH0 and <= PUSH32:
                case PC:
                    // The IR's constant (the immediate, zero-padded past the end of the code; the pc).
                    Push(Entry.Constant(_fn.ConstantOf(_cursor.Pushed)));
                    return;
                case >= DUP1 and <= DUP16:
                {
                    int source = _h - (op - DUP1);
                    var e = Get(source);
                    if (e.Kind == EntryKind.Slot) Push(Entry.InLocals(LoadedCopy(source)));
                    else
                    {
                        if (e.Kind == EntryKind.Local) _setRefs[e.Set]++;
                        Push(e);
                    }
                    return;
                }
                case >= SWAP1 and <= SWAP16:
                {
                    // Items in memory must stay at their own position: load them first, then swap the descriptions.
                    // Before a POP in the same segment (Solidity's SWAPn POP) the deeper item is dropped unread: it is
                    // not loaded (RyuJIT removes the unused locals but keeps the loads, as they might fault).
                    int a = _h, b = _h - (op - SWAP1 + 1);
                    if (Get(b).Kind == EntryKind.Slot && next < (_il.Measuring ? _blockEnd : _segments[_segment].End) && _analysis.Code[next] == POP)
                    {
                        if (Get(a).Kind == EntryKind.Slot) Put(a, Entry.InLocals(LoadedCopy(a)));
                        Put(b, Get(a));
                        Put(a, Entry.DeadValue);
                        return;
                    }
                    if (Get(b).Kind == EntryKind.Slot) Put(b, Entry.InLocals(LoadedCopy(b)));
                    if (Get(a).Kind == EntryKind.Slot) Put(a, Entry.InLocals(LoadedCopy(a)));
                    var ea = Get(a);
                    var eb = Get(b);
                    Put(b, ea);
                    Put(a, eb);
                    return;
                }
                case GAS:
                {
                    // gas + correction (the static gas of the rest of the block is not due yet);
                    int r = NewSet();
                    _il.Ldloc(_gas);
                    if (correction != 0) { _il.LdcI8(correction); _il.Add(); }
                    St(r, 0);
                    StZero(r, 1);
                    Bound(r, 64);
                    Push(Entry.InLocals(r));
                    return;
                }
                default:
                {
                    var info = OpcodeTable.Get(op, _analysis.Fork)!.Value;
                    ref readonly var node = ref _fn.Nodes[_cursor.Node];
                    if (node.Kind != IrNodeKind.Removed) EnsureTop();
                    if (node.Kind == IrNodeKind.Removed)
                    {
                        // Folded by the IR (its value is a constant), or dead (never read).
                        Pop(info.StackInputs);
                        if (node.Result >= 0)
                            Push(_fn.Values[node.Result].IsConstant ? Entry.Constant(_fn.ConstantOf(node.Result)) : Entry.DeadValue);
                        return;
                    }
                    if (TryEmitInline(op, next, correction)) return;
                    EmitCore(op, correction, next, info.StackInputs, info.StackOutputs);
                    return;
                }
            }
        }

        /// <summary>Replaces the top <paramref name="inputs"/> items by the value in local set <paramref name="r"/>.</summary>
        private void Result(int inputs, int r)
        {
            Pop(inputs);
            Push(Entry.InLocals(r));
        }

        /// <summary>Inline forms of cheap opcodes; false when <paramref name="op"/> has none here (call its core).</summary>
        private bool TryEmitInline(byte op, int next, long correction)
        {
            int a = _h, b = _h - 1;
            if (op == SAR && PlantedBug.LogicalSar) op = SHR;
            switch (op)
            {
                case ADD: EmitAdd(); return true;
                case SUB:
                {
                    int r = NewSet();
                    EmitSubtract(a, b, r);
                    Result(2, r);
                    return true;
                }
                case AND: case OR: case XOR:
                {
                    int r = NewSet();
                    for (int k = 0; k < 4; k++)
                    {
                        Ld(a, k); Ld(b, k);
                        if (op == AND) _il.And(); else if (op == OR) _il.Or(); else _il.Xor();
                        St(r, k);
                    }
                    int bits = op == AND ? Math.Min(Bits(a), Bits(b)) : Math.Max(Bits(a), Bits(b));
                    Result(2, r);
                    Bound(r, bits);
                    return true;
                }
                case NOT:
                {
                    int r = NewSet();
                    for (int k = 0; k < 4; k++) { Ld(a, k); _il.Not(); St(r, k); }
                    Result(1, r);
                    return true;
                }
                case ISZERO:
                {
                    // (a0 | a1 | a2 | a3) == 0 ? 1 : 0; of a comparison's result, a0 == 0.
                    LdZeroTest(a);
                    int r = NewSet();
                    _il.LdcU8(0); _il.Ceq(); _il.ConvU8(); St(r, 0);
                    StZero(r, 1);
                    Result(1, r);
                    MarkBool(r);
                    return true;
                }
                case EQ:
                {
                    // ((a0 ^ b0) | … | (a3 ^ b3)) == 0 ? 1 : 0
                    int r = NewSet();
                    for (int k = 0; k < 4; k++) { Ld(a, k); Ld(b, k); _il.Xor(); if (k > 0) _il.Or(); }
                    OrOpaqueZero(); _il.LdcU8(0); _il.Ceq(); _il.ConvU8(); St(r, 0);
                    StZero(r, 1);
                    Result(2, r);
                    MarkBool(r);
                    return true;
                }
                case LT: case GT: case SLT: case SGT:
                {
                    bool signed = op is SLT or SGT;
                    int x = op is LT or SLT ? a : b, y = op is LT or SLT ? b : a;
                    var joined = _il.DefineLabel();
                    // The result is written straight into its own set on every path (a temporary shared by the region's
                    // comparisons ended up in a stack slot).
                    int r = NewSet();
                    if (IsSmallConstant(x) || IsSmallConstant(y))
                    {
                        // Against a constant below 2^64 (a loop bound, a length): x < y limb by limb from the top, without
                        // branches — (x3 < y3) | (x3 == y3 & ((x2 < y2) | (x2 == y2 & …(x0 < y0)))), the top limb signed for
                        // SLT/SGT; a > b is b < a — skipped when the other item's high limbs are zero too (one test of
                        // their OR), which is the usual case. The constant's limbs take no register; the other's are read
                        // again where they are.
                        Ld(x, 0); Ld(y, 0); _il.CltUn(); _il.ConvU8(); St(r, 0);
                        Ld(x, 1); Ld(y, 1); _il.Xor(); Ld(x, 2); Ld(y, 2); _il.Xor(); _il.Or(); Ld(x, 3); Ld(y, 3); _il.Xor(); _il.Or();
                        OrOpaqueZero(); _il.Brfalse(joined);
                        _il.Ldloc(_sets[r][0]);
                        for (int k = 1; k < 4; k++)
                        {
                            // c = (x[k] < y[k]) | (x[k] == y[k] & c), c on the IL stack;
                            Ld(x, k); Ld(y, k); _il.Ceq(); _il.ConvU8(); _il.And();
                            Ld(x, k); Ld(y, k); if (signed && k == 3) _il.Clt(); else _il.CltUn(); _il.ConvU8(); _il.Or();
                        }
                        St(r, 0);
                    }
                    else
                    {
                        // Two computed items: decided by the highest limb where they differ — from the top, a limb equal
                        // in both goes on to the next, else its comparison is the result. Two small numbers of the same
                        // sign (offsets, most fixed-point values) go through three equal limbs to the low one; numbers of
                        // different signs stop at the top limb. Each step holds two limbs, where the branch-free form
                        // above kept eight live at once and RyuJIT spilled them (snailtracer_original's jit 5-8% faster,
                        // session 13). Against a small constant that form stays: one test of the other item's high limbs
                        // decides the usual case, where this one takes three branches.
                        for (int k = 3; k > 0; k--)
                        {
                            var lower = _il.DefineLabel();
                            EmitBranchIfEqual(x, y, k, lower);
                            Ld(x, k); Ld(y, k); if (signed && k == 3) _il.Clt(); else _il.CltUn(); _il.ConvU8(); St(r, 0);
                            _il.Br(joined);
                            _il.MarkLabel(lower);
                        }
                        Ld(x, 0); Ld(y, 0); _il.CltUn(); _il.ConvU8(); St(r, 0);
                    }
                    _il.MarkLabel(joined);
                    StZero(r, 1);
                    Result(2, r);
                    MarkBool(r);
                    return true;
                }
                case SHL: case SHR: case SAR:
                {
                    if (Get(a).Kind != EntryKind.Const)
                    {
                        EmitShiftDynamic(op, a, b);
                        return true;
                    }
                    var shift = Get(a).Value;
                    EmitShiftBy(op, shift.FitsInUInt64 && shift.U0 < 256 ? (int)shift.U0 : 256, b);
                    return true;
                }
                case MUL:
                {
                    // By a constant power of two: a shift (x · 2^k mod 2^256 = x << k).
                    int constant = Get(a).Kind == EntryKind.Const ? a : Get(b).Kind == EntryKind.Const ? b : int.MinValue;
                    if (constant == int.MinValue) return EmitSmallOperands(op);
                    var m = Get(constant).Value;
                    if (m.IsZero) { Pop(2); Push(Entry.Constant(default)); return true; }
                    if (UInt256.IsPowerOfTwo(m))
                    {
                        EmitShiftBy(SHL, UInt256.TrailingZeroCount(m), constant == a ? b : a);
                        return true;
                    }
                    // By any other constant below 2^64 (10^18, a fixed-point scale): four 64×64 products.
                    if (m.FitsInUInt64 && Get(constant == a ? b : a).Kind != EntryKind.Const)
                    {
                        EmitMultiplyByLimb(constant == a ? b : a, m.U0);
                        return true;
                    }
                    // By a sum of powers of 2^64 (2^64 + 1 copies a 64-bit lane upwards: hand-written hashes rotate so):
                    // adds of the value shifted by whole limbs.
                    if (m.U0 <= 1 && m.U1 <= 1 && m.U2 <= 1 && m.U3 <= 1 && Get(constant == a ? b : a).Kind != EntryKind.Const)
                    {
                        EmitMultiplyByLimbPowers(constant == a ? b : a, m);
                        return true;
                    }
                    return EmitSmallOperands(op);
                }
                case DIV:
                case MOD:
                {
                    // a / 2^k = a >> k; a mod 2^k = a & (2^k - 1); by zero: 0.
                    if (Get(b).Kind != EntryKind.Const) return EmitSmallOperands(op);
                    var d = Get(b).Value;
                    if (d.IsZero) { Pop(2); Push(Entry.Constant(default)); return true; }
                    if (!UInt256.IsPowerOfTwo(d)) return EmitSmallOperands(op);
                    int k = UInt256.TrailingZeroCount(d);
                    if (op == DIV) { EmitShiftBy(SHR, k, a); return true; }
                    UInt256.Subtract(d, UInt256.One, out var mask);
                    int r = NewSet();
                    for (int l = 0; l < 4; l++) { Ld(a, l); _il.LdcU8(Limb(mask, l)); _il.And(); St(r, l); }
                    Result(2, r);
                    return true;
                }
                case BYTE:
                {
                    if (Get(a).Kind != EntryKind.Const) return false;
                    var index = Get(a).Value;
                    if (!index.FitsInUInt64 || index.U0 >= 32) { Pop(2); Push(Entry.Constant(default)); return true; }
                    // byte i (from the most significant) = (x[3 - i / 8] >> 8·(7 - i % 8)) & 0xff
                    int i = (int)index.U0;
                    int r = NewSet();
                    Ld(b, 3 - i / 8);
                    int shift = 8 * (7 - i % 8);
                    if (shift != 0) { _il.Ldc(shift); _il.ShrUn(); }
                    _il.LdcU8(0xff); _il.And(); St(r, 0);
                    StZero(r, 1);
                    Result(2, r);
                    Bound(r, 8);
                    return true;
                }
                case SDIV: case SMOD: return EmitSmallOperands(op);
                case SIGNEXTEND: return EmitSignExtend();
                case MLOAD: return EmitMLoad(next, correction);
                case MSTORE: return EmitMStore(next, correction, 32);
                case MSTORE8: return EmitMStore(next, correction, 1);
                default:
                    return false;
            }
        }

        /// <summary>
        /// MUL/DIV/MOD/SDIV/SMOD on operands that fit in 64 bits at run time: unsigned (all of them but SDIV/SMOD: a
        /// 64×64→128 multiply, a 64-bit division by a non-zero divisor), or as signed 64-bit values, i.e. the upper
        /// limbs are the sign fill of the lowest (MUL: a signed 64×64→128 multiply, sign-extended; SDIV/SMOD: a 64-bit
        /// signed division, except by zero and of −2^63, which the core handles, and shifts for a divisor that turns out
        /// to be a positive power of two: <see cref="EmitSignedDivideByPowerOfTwo"/>); for SDIV/SMOD also a 128-bit dividend
        /// (<see cref="EmitSignedDivideWide"/>) and for SDIV two 128-bit values (<see cref="EmitSignedDivide128"/>).
        /// Otherwise, and for constants that rule both out, the core on the two items in memory.
        /// </summary>
        private bool EmitSmallOperands(byte op)
        {
            int a = _h, b = _h - 1;
            bool unsigned = op is MUL or DIV or MOD, signed = op is MUL or SDIV or SMOD;
            foreach (int p in (ReadOnlySpan<int>)[a, b])
            {
                if (Get(p).Kind != EntryKind.Const) continue;
                var v = Get(p).Value;
                if (!v.FitsInUInt64) unsigned = false;
                if (!IsSignedSmall(v)) signed = false;
            }
            if (!unsigned && !signed) return false;
            var slow = _il.DefineLabel();
            var done = _il.DefineLabel();
            int r = NewSet();
            if (unsigned)
            {
                var notUnsigned = signed ? _il.DefineLabel() : slow;
                // if ((a1 | a2 | a3 | b1 | b2 | b3) != 0) goto notUnsigned;
                Ld(a, 1); Ld(a, 2); _il.Or(); Ld(a, 3); _il.Or(); Ld(b, 1); _il.Or(); Ld(b, 2); _il.Or(); Ld(b, 3); _il.Or();
                OrOpaqueZero(); _il.Brtrue(notUnsigned);
                if (op == MUL)
                {
                    // r1:r0 = a0 × b0 (128 bits);
                    EmitMultiplyWide(a, b, r, signed: false);
                    StZero(r, 2);
                }
                else
                {
                    // if (b0 == 0) goto slow (the core gives 0); r0 = a0 / b0 or a0 % b0;
                    Ld(b, 0); OrOpaqueZero(); _il.Brfalse(slow);
                    Ld(a, 0); Ld(b, 0);
                    if (op == DIV) _il.DivUn(); else _il.RemUn();
                    St(r, 0);
                    StZero(r, 1);
                }
                _il.Br(done);
                if (signed) _il.MarkLabel(notUnsigned);
            }
            if (signed)
            {
                // SDIV/SMOD: a dividend that does not fit in 64 bits may still fit in 128 (the 64×64 products of a
                // fixed-point multiplication, divided by the scale).
                var wide = op == MUL ? slow : _il.DefineLabel();
                // SDIV by a divisor beyond 64 bits: both may still fit in 128 (fixed-point numbers divided by each other).
                var wideDivisor = op == SDIV ? _il.DefineLabel() : slow;
                EmitSignedSmallCheck(b, wideDivisor);
                EmitSignedSmallCheck(a, wide);
                if (op == MUL)
                {
                    // r1:r0 = (long)a0 × (long)b0 (128 bits); r2 = r3 = r1 >> 63 (the product, sign-extended);
                    EmitMultiplyWide(a, b, r, signed: true);
                    _il.Ldloc(_sets[r][1]); _il.Ldc(63); _il.Shr(); St(r, 2);
                    _il.Ldloc(_sets[r][2]); St(r, 3);
                }
                else
                {
                    // if (b0 == 0) goto slow;
                    Ld(b, 0); OrOpaqueZero(); _il.Brfalse(slow);
                    var quotient = _il.DefineLabel();
                    if (Get(b).Kind != EntryKind.Const) EmitSignedDivideByPowerOfTwo(op, a, b, r, quotient);
                    // if (a0 == long.MinValue) goto slow; r0 = a0 / b0 or a0 % b0 (signed);
                    Ld(a, 0); _il.LdcI8(long.MinValue); _il.Beq(slow);
                    Ld(a, 0); Ld(b, 0);
                    if (op == SDIV) _il.Div(); else _il.Rem();
                    St(r, 0);
                    _il.MarkLabel(quotient);
                    // r1..r3 = r0's sign fill;
                    _il.Ldloc(_sets[r][0]); _il.Ldc(63); _il.Shr(); St(r, 1);
                    _il.Ldloc(_sets[r][1]); St(r, 2);
                    _il.Ldloc(_sets[r][1]); St(r, 3);
                    _il.Br(done);
                    _il.MarkLabel(wide);
                    EmitSignedDivideWide(op, a, b, r, slow);
                    if (op == SDIV)
                    {
                        _il.Br(done);
                        _il.MarkLabel(wideDivisor);
                        EmitSignedDivide128(a, b, r, slow);
                    }
                }
                _il.Br(done);
            }
            // Slow path: the two operands to memory, the core, its result (at b's position) into the set.
            _il.MarkLabel(slow);
            if (Get(a).Kind != EntryKind.Slot) StoreEntry(a);
            if (Get(b).Kind != EntryKind.Slot) StoreEntry(b);
            Slot(a); _il.Call(s_cores[op]!);
            for (int k = 0; k < 4; k++) { LoadLimb(b, k); St(r, k); }
            _il.MarkLabel(done);
            Result(2, r);
            return true;
        }

        /// <summary>
        /// The 128-bit product of limb 0 of items <paramref name="a"/> and <paramref name="b"/> (as signed 64-bit values
        /// when <paramref name="signed"/>) into limbs 0 and 1 of set <paramref name="r"/>. With BMI2: MULX for the high
        /// half and a plain multiplication for the low one — Math.BigMul's out parameter would keep the low half in a
        /// stack slot (an address-taken local). The signed high half is the unsigned one minus b where a &lt; 0 and
        /// minus a where b &lt; 0.
        /// </summary>
        private void EmitMultiplyWide(int a, int b, int r, bool signed)
        {
            if (!Bmi2.X64.IsSupported)
            {
                // r1 = Math.BigMul(a0, b0, out r0);
                Ld(a, 0); Ld(b, 0); _il.Ldloca(_low64); _il.Call(signed ? s_bigMulSigned : s_bigMul); St(r, 1);
                _il.Ldloc(_low64); St(r, 0);
                return;
            }
            // r1 = Bmi2.X64.MultiplyNoFlags(a0, b0) [- ((long)a0 >> 63 & b0) - ((long)b0 >> 63 & a0)]; r0 = a0 * b0;
            Ld(a, 0); Ld(b, 0); _il.Call(s_mulx);
            if (signed)
            {
                Ld(a, 0); _il.Ldc(63); _il.Shr(); Ld(b, 0); _il.And(); _il.Sub();
                Ld(b, 0); _il.Ldc(63); _il.Shr(); Ld(a, 0); _il.And(); _il.Sub();
            }
            St(r, 1);
            Ld(a, 0); Ld(b, 0); _il.Mul(); St(r, 0);
        }

        /// <summary>
        /// MUL of item <paramref name="x"/> by a constant <paramref name="m"/> whose limbs are 0 or 1: the sum of x
        /// shifted left by 64·j for every limb j of m that is 1, as add-with-carry chains over whole limbs.
        /// </summary>
        private void EmitMultiplyByLimbPowers(int x, in UInt256 m)
        {
            int r = NewSet();
            bool started = false;
            for (int j = 0; j < 4; j++)
            {
                if (Limb(m, j) == 0) continue;
                if (!started)
                {
                    // r = x << 64j
                    for (int i = 0; i < 4; i++)
                    {
                        if (i < j) _il.LdcU8(0); else Ld(x, i - j);
                        St(r, i);
                    }
                    started = true;
                    continue;
                }
                // r += x << 64j: limbs below j unchanged; from j up, add with carry (the last carry leaves the word).
                for (int i = j; i < 4; i++)
                {
                    // t = r[i] + x[i - j];
                    _il.Ldloc(_sets[r][i]); Ld(x, i - j); _il.Add(); _il.Stloc(_t);
                    if (i == 3)
                    {
                        _il.Ldloc(_t);
                        if (j < 3) { _il.Ldloc(_c); _il.Add(); }
                        St(r, 3);
                        break;
                    }
                    if (i == j)
                    {
                        // r[i] = t; c = t < x[i - j];
                        _il.Ldloc(_t); St(r, i);
                        _il.Ldloc(_t); Ld(x, i - j); _il.CltUn(); _il.ConvU8(); _il.Stloc(_c);
                        continue;
                    }
                    // y = t < x[i - j]; u = t + c; r[i] = u; c = y | (u < t);
                    _il.Ldloc(_t); Ld(x, i - j); _il.CltUn(); _il.ConvU8(); _il.Stloc(_y);
                    _il.Ldloc(_t); _il.Ldloc(_c); _il.Add(); _il.Stloc(_x);
                    _il.Ldloc(_x); St(r, i);
                    _il.Ldloc(_x); _il.Ldloc(_t); _il.CltUn(); _il.ConvU8(); _il.Ldloc(_y); _il.Or(); _il.Stloc(_c);
                }
            }
            Result(2, r);
        }

        /// <summary>
        /// MUL of item <paramref name="x"/> by the constant <paramref name="k"/> &lt; 2^64 (mod 2^256): limb by limb,
        /// each 64×64→128 product's high half carried into the next limb. The result replaces the top two items.
        /// </summary>
        private void EmitMultiplyByLimb(int x, ulong k)
        {
            int r = NewSet();
            for (int i = 0; i < 4; i++)
            {
                if (i == 3)
                {
                    // r3 = x3 * k + c (the high half leaves the word);
                    Ld(x, 3); _il.LdcU8(k); _il.Mul(); _il.Ldloc(_c); _il.Add(); St(r, 3);
                    break;
                }
                // hi = high(xi * k); lo = xi * k;
                Ld(x, i); _il.LdcU8(k);
                if (Bmi2.X64.IsSupported) { _il.Call(s_mulx); _il.Stloc(_y); Ld(x, i); _il.LdcU8(k); _il.Mul(); }
                else { _il.Ldloca(_low64); _il.Call(s_bigMul); _il.Stloc(_y); _il.Ldloc(_low64); }
                if (i == 0)
                {
                    // r0 = lo; c = hi;
                    St(r, 0); _il.Ldloc(_y); _il.Stloc(_c);
                    continue;
                }
                // t = lo + c; c = hi + (t < c); ri = t;
                _il.Ldloc(_c); _il.Add(); _il.Stloc(_t);
                _il.Ldloc(_y); _il.Ldloc(_t); _il.Ldloc(_c); _il.CltUn(); _il.ConvU8(); _il.Add(); _il.Stloc(_c);
                _il.Ldloc(_t); St(r, i);
            }
            Result(2, r);
        }

        /// <summary>
        /// SDIV/SMOD of sign-extended 64-bit values by a divisor known only at run time, when it is a positive power of
        /// two 2^k (Solidity code passes its constants on the stack into the checked division's own block, where the
        /// compiler cannot see them: snailtracer's square root halves 118,000 times an execution): r0 = the quotient,
        /// (a0 + bias) >> k with bias = 2^k − 1 for a negative dividend (rounding toward zero), or the remainder,
        /// a0 − ((a0 + bias) &amp; ~(2^k − 1)); then to <paramref name="done"/>. Falls through for any other divisor.
        /// No overflow: a0 + bias stays within [−2^63, 2^63) for every a0.
        /// </summary>
        private void EmitSignedDivideByPowerOfTwo(byte op, int a, int b, int r, Label done)
        {
            var other = _il.DefineLabel();
            // if (b0 < 0 || (b0 & (b0 - 1)) != 0) goto other;
            Ld(b, 0); _il.LdcI8(0); _il.Blt(other);
            Ld(b, 0); Ld(b, 0); _il.LdcU8(1); _il.Sub(); _il.And(); _il.Brtrue(other);
            if (op == SDIV)
            {
                // r0 = (a0 + bias) >> tzcnt(b0) (arithmetic);
                EmitBiasedDividend(a, b);
                Ld(b, 0); _il.Call(s_trailingZeros); _il.Shr();
            }
            else
            {
                // r0 = a0 - ((a0 + bias) & ~(b0 - 1));
                Ld(a, 0);
                EmitBiasedDividend(a, b);
                Ld(b, 0); _il.LdcU8(1); _il.Sub(); _il.Not(); _il.And(); _il.Sub();
            }
            St(r, 0);
            _il.Br(done);
            _il.MarkLabel(other);
        }

        /// <summary>Pushes a0 + bias, bias = (a0 &gt;&gt; 63) &amp; (b0 − 1): b0 − 1 for a negative dividend (see <see cref="EmitSignedDivideByPowerOfTwo"/>).</summary>
        private void EmitBiasedDividend(int a, int b)
        {
            Ld(a, 0); Ld(a, 0); _il.Ldc(63); _il.Shr(); Ld(b, 0); _il.LdcU8(1); _il.Sub(); _il.And(); _il.Add();
        }

        /// <summary>
        /// SDIV/SMOD of a dividend <paramref name="a"/> that is a sign-extended 128-bit value by a non-zero divisor
        /// <paramref name="b"/> that is a sign-extended 64-bit one: the magnitudes divided limb by limb (a 64-bit
        /// division of the high limb when it is not below the divisor, then one 128÷64 hardware division,
        /// <see cref="UInt256.DivRem128"/>, the cores' own), then the sign — the quotient's is the operands' signs
        /// combined, the remainder's the dividend's (EVM SMOD). Branches to <paramref name="slow"/> otherwise.
        /// </summary>
        private void EmitSignedDivideWide(byte op, int a, int b, int r, Label slow)
        {
            // |a| = (t:x), y = its sign fill;
            EmitMagnitude128(a, _y, _x, _t, slow);
            // |b| = (b0 ^ sb) - sb, sb = sign fill of b0; if (|b| == 0) goto slow;
            Ld(b, 0); Ld(b, 0); _il.Ldc(63); _il.Shr(); _il.Xor(); Ld(b, 0); _il.Ldc(63); _il.Shr(); _il.Sub(); _il.Stloc(_c);
            _il.Ldloc(_c); OrOpaqueZero(); _il.Brfalse(slow);
            var divided = _il.DefineLabel();
            var divide = _il.DefineLabel();
            var d = Get(b);
            bool constant = d.Kind == EntryKind.Const;
            if (!constant || IsPowerOfTwoMagnitude(d.Value.U0))
            {
                // |b| = 2^k (at run time, or always for such a constant): the magnitude shifted, no division —
                // if ((|b| & (|b| - 1)) != 0) goto divide; k = tzcnt(|b|); SDIV: q1 = t >> k, x = (t:x) >> k (the
                // two shifts of t keep each count below 64: k = 0 moves nothing of t into x);
                // SMOD: low64 = x & (|b| - 1) (the remainder is below |b| ≤ 2^63);
                if (!constant) { _il.Ldloc(_c); _il.Ldloc(_c); _il.LdcU8(1); _il.Sub(); _il.And(); _il.Brtrue(divide); }
                if (op == SDIV)
                {
                    _il.Ldloc(_t); _il.Ldloc(_c); _il.Call(s_trailingZeros); _il.ShrUn(); St(r, 1);
                    _il.Ldloc(_x); _il.Ldloc(_c); _il.Call(s_trailingZeros); _il.ShrUn();
                    _il.Ldloc(_t); _il.Ldc(1); _il.Shl(); _il.Ldc(63); _il.Ldloc(_c); _il.Call(s_trailingZeros); _il.Sub(); _il.Shl();
                    _il.Or(); _il.Stloc(_x);
                }
                else { _il.Ldloc(_x); _il.Ldloc(_c); _il.LdcU8(1); _il.Sub(); _il.And(); _il.Stloc(_low64); }
                _il.Br(divided);
            }
            _il.MarkLabel(divide);
            // q1 = 0; if (t >= |b|) { q1 = t / |b|; t -= q1 * |b|; } (q1 lives in r1 until the sign is applied; the
            // remainder by a multiply, since RyuJIT emits a second DIV for t % |b|)
            var low = _il.DefineLabel();
            _il.LdcU8(0); St(r, 1);
            _il.Ldloc(_t); _il.Ldloc(_c); _il.BltUn(low);
            _il.Ldloc(_t); _il.Ldloc(_c); _il.DivUn(); St(r, 1);
            _il.Ldloc(_t); _il.Ldloc(_sets[r][1]); _il.Ldloc(_c); _il.Mul(); _il.Sub(); _il.Stloc(_t);
            _il.MarkLabel(low);
            // x = DivRem128(t, x, |b|, out low64) (the low quotient limb), low64 = the remainder;
            _il.Ldloc(_t); _il.Ldloc(_x); _il.Ldloc(_c); _il.Ldloca(_low64); _il.Call(s_divRem128); _il.Stloc(_x);
            _il.MarkLabel(divided);
            if (op == SDIV)
            {
                // s = y ^ sb: the quotient's sign fill; (q1:x) negated when s: r0 = (x ^ s) - s;
                // r1 = (q1 ^ s) + (s & (x == 0)); r2 = r3 = s & ((x | q1) != 0 ? ~0 : 0);
                Ld(b, 0); _il.Ldc(63); _il.Shr(); _il.Ldloc(_y); _il.Xor(); _il.Stloc(_y);
                _il.Ldloc(_x); _il.Ldloc(_sets[r][1]); _il.Or(); _il.LdcU8(0); _il.CgtUn(); _il.ConvU8(); _il.Neg(); _il.Ldloc(_y); _il.And(); _il.Stloc(_t);
                _il.Ldloc(_sets[r][1]); _il.Ldloc(_y); _il.Xor();
                _il.Ldloc(_x); _il.LdcU8(0); _il.Ceq(); _il.ConvU8(); _il.Ldloc(_y); _il.And(); _il.Add(); St(r, 1);
                _il.Ldloc(_x); _il.Ldloc(_y); _il.Xor(); _il.Ldloc(_y); _il.Sub(); St(r, 0);
                _il.Ldloc(_t); St(r, 2); _il.Ldloc(_t); St(r, 3);
                return;
            }
            // SMOD: the remainder (below |b|), with the dividend's sign y: r0 = (v ^ y) - y; r1..r3 = y & (v != 0 ? ~0 : 0);
            _il.Ldloc(_low64); _il.Ldloc(_y); _il.Xor(); _il.Ldloc(_y); _il.Sub(); St(r, 0);
            _il.Ldloc(_low64); _il.LdcU8(0); _il.CgtUn(); _il.ConvU8(); _il.Neg(); _il.Ldloc(_y); _il.And(); _il.Stloc(_t);
            for (int k = 1; k < 4; k++) { _il.Ldloc(_t); St(r, k); }
        }

        /// <summary>
        /// SDIV of two sign-extended 128-bit values by a divisor of magnitude 2^64 or more (so the quotient's magnitude
        /// fits in 64 bits, at most 2^63): the magnitudes' quotient (<see cref="UInt256.Divide128By128"/>), negated when
        /// the signs differ. Anything wider goes to <paramref name="slow"/>. (Fixed-point code divides such numbers by
        /// each other: snailtracer about 19,000 times an execution, 80-bit values by 80-bit values.)
        /// </summary>
        private void EmitSignedDivide128(int a, int b, int r, Label slow)
        {
            // |a| = (t:x), y = its sign fill; |b| = (r1:r0) (r's limbs hold it until the quotient is known), c = its sign fill;
            EmitMagnitude128(a, _y, _x, _t, slow);
            EmitMagnitude128(b, _c, _sets[r][0], _sets[r][1], slow);
            // if (|b| < 2^64) goto slow (b in [2^63, 2^64) or [−2^64, −2^63): not a sign-extended 64-bit value, yet one limb);
            _il.Ldloc(_sets[r][1]); OrOpaqueZero(); _il.Brfalse(slow);
            // x = |a| / |b|; y = the quotient's sign fill (y ^ c); r0 = (x ^ y) - y; r1..r3 = y & (x != 0 ? ~0 : 0);
            _il.Ldloc(_t); _il.Ldloc(_x); _il.Ldloc(_sets[r][1]); _il.Ldloc(_sets[r][0]); _il.Call(s_divide128By128); _il.Stloc(_x);
            _il.Ldloc(_y); _il.Ldloc(_c); _il.Xor(); _il.Stloc(_y);
            _il.Ldloc(_x); _il.LdcU8(0); _il.CgtUn(); _il.ConvU8(); _il.Neg(); _il.Ldloc(_y); _il.And(); _il.Stloc(_t);
            _il.Ldloc(_x); _il.Ldloc(_y); _il.Xor(); _il.Ldloc(_y); _il.Sub(); St(r, 0);
            for (int k = 1; k < 4; k++) { _il.Ldloc(_t); St(r, k); }
        }

        /// <summary>
        /// Branches to <paramref name="slow"/> unless item <paramref name="p"/> is a sign-extended 128-bit value; else
        /// its sign fill into <paramref name="sign"/> and its magnitude into (<paramref name="high"/>:<paramref name="low"/>).
        /// </summary>
        private void EmitMagnitude128(int p, LocalBuilder? sign, LocalBuilder? low, LocalBuilder? high, Label slow)
        {
            // sign = sign fill of p1; if (((p2 ^ sign) | (p3 ^ sign)) != 0) goto slow;
            Ld(p, 1); _il.Ldc(63); _il.Shr(); _il.Stloc(sign);
            Ld(p, 2); _il.Ldloc(sign); _il.Xor(); Ld(p, 3); _il.Ldloc(sign); _il.Xor(); _il.Or(); OrOpaqueZero(); _il.Brtrue(slow);
            // low = (p0 ^ sign) - sign; high = (p1 ^ sign) + (sign & (low == 0 ? 1 : 0)) — the two's complement of a
            // negative, its carry into the high limb;
            Ld(p, 0); _il.Ldloc(sign); _il.Xor(); _il.Ldloc(sign); _il.Sub(); _il.Stloc(low);
            Ld(p, 1); _il.Ldloc(sign); _il.Xor();
            _il.Ldloc(low); _il.LdcU8(0); _il.Ceq(); _il.ConvU8(); _il.Ldloc(sign); _il.And(); _il.Add(); _il.Stloc(high);
        }

        /// <summary>True when the magnitude of the signed 64-bit value <paramref name="v0"/> is a power of two (2^63 included).</summary>
        private static bool IsPowerOfTwoMagnitude(ulong v0) => BitOperations.IsPow2((long)v0 < 0 ? 0 - v0 : v0);

        /// <summary>True when <paramref name="v"/> is a signed 64-bit value sign-extended to 256 bits.</summary>
        private static bool IsSignedSmall(in UInt256 v)
        {
            ulong fill = (ulong)((long)v.U0 >> 63);
            return v.U1 == fill && v.U2 == fill && v.U3 == fill;
        }

        /// <summary>Branches to <paramref name="slow"/> unless item <paramref name="p"/> is a sign-extended 64-bit value.</summary>
        private void EmitSignedSmallCheck(int p, Label slow)
        {
            // if (p1 != fill || p2 != fill || p3 != fill) goto slow, fill = (ulong)((long)p0 >> 63) | opaque zero: three
            // compares against one value rather than an OR of three XORs, whose running result RyuJIT spilled in the hot
            // regions (no register left for it beside the limbs held across the check). The fill is ORed with the
            // opaque zero so that RyuJIT never sees it as the constant 0 (p0 known non-negative): a limb compared with 0
            // may be a rotate, whose zero test RyuJIT can drop (see OrOpaqueZero).
            for (int k = 1; k < 4; k++)
            {
                Ld(p, k); Ld(p, 0); _il.Ldc(63); _il.Shr(); OrOpaqueZero(); _il.BneUn(slow);
            }
        }

        /// <summary>
        /// SIGNEXTEND by a byte index known at compile time: limbs below the sign bit's limb are copied, the bits
        /// above the sign bit take its value (index ≥ 31: the value itself).
        /// </summary>
        private bool EmitSignExtend()
        {
            int a = _h, x = _h - 1;
            if (Get(a).Kind != EntryKind.Const) return false;
            var index = Get(a).Value;
            if (!index.FitsInUInt64 || index.U0 >= 31)
            {
                var e = Get(x);
                if (e.Kind == EntryKind.Local) _setRefs[e.Set]++;
                Pop(2);
                Push(e); // the result takes the value's own position, so a value still in memory stays valid
                return true;
            }
            int bit = (int)index.U0 * 8 + 7, limb = bit / 64, s = bit % 64;
            int r = NewSet();
            for (int k = 0; k < limb; k++) { Ld(x, k); St(r, k); }
            // y = (ulong)((long)(x[limb] << (63 - s)) >> 63): the sign bit, everywhere;
            Ld(x, limb);
            if (s != 63) { _il.Ldc(63 - s); _il.Shl(); }
            _il.Ldc(63); _il.Shr(); _il.Stloc(_y);
            if (s == 63) { Ld(x, limb); St(r, limb); }
            else
            {
                // r[limb] = x[limb] & mask | y & ~mask, mask = the bits up to the sign bit;
                ulong mask = (1UL << (s + 1)) - 1;
                Ld(x, limb); _il.LdcU8(mask); _il.And(); _il.Ldloc(_y); _il.LdcU8(~mask); _il.And(); _il.Or(); St(r, limb);
            }
            for (int k = limb + 1; k < 4; k++) { _il.Ldloc(_y); St(r, k); }
            Result(2, r);
            return true;
        }

        /// <summary>
        /// ADD: a + b (mod 2^256), limb by limb, each limb's carry computed inside the next limb's sum (no carry local:
        /// a local shared by the region's carry chains ended up in a stack slot, stored and reloaded in every limb).
        /// </summary>
        private void EmitAdd()
        {
            int a = _h, b = _h - 1;
            int r = NewSet();
            int bits = Math.Max(Bits(a), Bits(b)) + 1;
            if (bits <= 64)
            {
                // Both below 2^63 (a pointer and an offset, say): one addition, no carry.
                Ld(a, 0); Ld(b, 0); _il.Add(); St(r, 0);
                StZero(r, 1);
                Result(2, r);
                Bound(r, bits);
                return;
            }
            for (int k = 0; k < 4; k++)
            {
                // r[k] = a[k] + b[k] (+ the carry out of limb k - 1);
                if (k > 0) { EmitCarryOut(a, b, r, k - 1); Ld(a, k); _il.Add(); }
                else Ld(a, k);
                Ld(b, k); _il.Add();
                St(r, k);
            }
            Result(2, r);
            if (bits < 256) Bound(r, bits); // no wrap-around
        }

        /// <summary>
        /// Pushes the carry (0 or 1) out of limb <paramref name="k"/> of a + b, whose sum limb is in set
        /// <paramref name="r"/>. Limb 0 has no carry in: the sum wrapped when it is below an operand (a constant one if
        /// there is one). Above, the carry is the top bit of <c>a &amp; b | (a | b) &amp; ~r</c> (both top bits set, or
        /// one set and the sum's clear): plain ALU operations, where two comparisons made SETB/MOVZX pairs and moves.
        /// </summary>
        private void EmitCarryOut(int a, int b, int r, int k)
        {
            if (k == 0)
            {
                _il.Ldloc(_sets[r][0]); Ld(Get(a).Kind == EntryKind.Const ? a : b, 0); _il.CltUn(); _il.ConvU8();
                return;
            }
            Ld(a, k); Ld(b, k); _il.And();
            Ld(a, k); Ld(b, k); _il.Or(); _il.Ldloc(_sets[r][k]); _il.Not(); _il.And();
            _il.Or(); _il.Ldc(63); _il.ShrUn();
        }

        /// <summary>
        /// SUB: item <paramref name="a"/> − item <paramref name="b"/> into set <paramref name="r"/>, by a borrow chain
        /// computed as <see cref="EmitAdd"/>'s carries are.
        /// </summary>
        private void EmitSubtract(int a, int b, int r)
        {
            for (int k = 0; k < 4; k++)
            {
                // r[k] = a[k] - b[k] (- the borrow out of limb k - 1);
                Ld(a, k);
                if (k > 0) { EmitBorrowOut(a, b, r, k - 1); _il.Sub(); }
                Ld(b, k); _il.Sub();
                St(r, k);
            }
        }

        /// <summary>
        /// Pushes the borrow (0 or 1) out of limb <paramref name="k"/> of a − b, whose difference limb is in set
        /// <paramref name="r"/>: for limb 0, a &lt; b; above, the top bit of <c>~a &amp; b | (~a | b) &amp; r</c>.
        /// </summary>
        private void EmitBorrowOut(int a, int b, int r, int k)
        {
            if (k == 0)
            {
                Ld(a, 0); Ld(b, 0); _il.CltUn(); _il.ConvU8();
                return;
            }
            Ld(a, k); _il.Not(); Ld(b, k); _il.And();
            Ld(a, k); _il.Not(); Ld(b, k); _il.Or(); _il.Ldloc(_sets[r][k]); _il.And();
            _il.Or(); _il.Ldc(63); _il.ShrUn();
        }

        /// <summary>
        /// SHL/SHR/SAR of item <paramref name="v"/> by <paramref name="shift"/> bits (known at compile time, 256 for any
        /// larger shift): limb moves and two shifts per limb. The result replaces the top two items.
        /// </summary>
        private void EmitShiftBy(byte op, int shift, int v)
        {
            bool arithmetic = op == SAR;
            if (arithmetic)
            {
                // y = sign fill of the value: (ulong)((long)v3 >> 63)
                Ld(v, 3); _il.Ldc(63); _il.Shr(); _il.Stloc(_y);
            }
            if (shift == 256 && !arithmetic) { Pop(2); Push(Entry.Constant(default)); return; }
            int r = NewSet();
            int q = shift / 64, s = shift % 64;
            for (int k = 0; k < 4; k++)
            {
                if (op == SHL)
                {
                    // r[k] = v[k - q] << s | v[k - q - 1] >> (64 - s)
                    bool any = false;
                    if (k - q >= 0) { Ld(v, k - q); if (s != 0) { _il.Ldc(s); _il.Shl(); } any = true; }
                    if (s != 0 && k - q - 1 >= 0) { Ld(v, k - q - 1); _il.Ldc(64 - s); _il.ShrUn(); if (any) _il.Or(); any = true; }
                    if (!any) _il.LdcU8(0);
                }
                else
                {
                    // r[k] = V[k + q] >>> s | V[k + q + 1] << (64 - s), V[i ≥ 4] = fill (0, or the sign for SAR)
                    LoadExtended(v, k + q, arithmetic);
                    if (s != 0)
                    {
                        _il.Ldc(s); _il.ShrUn();
                        LoadExtended(v, k + q + 1, arithmetic); _il.Ldc(64 - s); _il.Shl(); _il.Or();
                    }
                }
                St(r, k);
            }
            Result(2, r);
        }

        /// <summary>
        /// SHL/SHR/SAR of item <paramref name="v"/> by item <paramref name="n"/>, known only at run time: a shift of
        /// 256 or more gives the fill (0, or the sign for SAR); otherwise the limbs move by n / 64 in two conditional
        /// steps (by two limbs, by one) and then every limb shifts by n % 64, taking the bits that cross from its
        /// neighbour (a double shift, so that n % 64 = 0 takes nothing). The result replaces the top two items.
        /// </summary>
        private void EmitShiftDynamic(byte op, int n, int v)
        {
            bool left = op == SHL, arithmetic = op == SAR;
            int r = NewSet();
            var done = _il.DefineLabel();
            var inRange = _il.DefineLabel();
            // y = fill: (ulong)((long)v3 >> 63) for SAR, else 0;
            if (arithmetic) { Ld(v, 3); _il.Ldc(63); _il.Shr(); } else _il.LdcU8(0);
            _il.Stloc(_y);
            for (int k = 0; k < 4; k++) { Ld(v, k); St(r, k); }
            // if ((n1 | n2 | n3 | n0 >> 8) != 0) { r = fill; goto done; }
            Ld(n, 1); Ld(n, 2); _il.Or(); Ld(n, 3); _il.Or(); Ld(n, 0); _il.Ldc(8); _il.ShrUn(); _il.Or(); OrOpaqueZero();
            _il.Brfalse(inRange);
            for (int k = 0; k < 4; k++) { _il.Ldloc(_y); St(r, k); }
            _il.Br(done);
            _il.MarkLabel(inRange);
            // The limb moves: by two limbs when bit 7 of n0 is set, by one when bit 6 is.
            foreach (int limbs in (ReadOnlySpan<int>)[2, 1])
            {
                var skip = _il.DefineLabel();
                Ld(n, 0); _il.LdcU8((ulong)(64 * limbs)); _il.And(); OrOpaqueZero(); _il.Brfalse(skip);
                for (int i = 0; i < 4; i++)
                {
                    // SHL: r[3 - i] = r[3 - i - limbs] (0 below r0); SHR/SAR: r[i] = r[i + limbs] (the fill above r3).
                    int to = left ? 3 - i : i, from = left ? to - limbs : to + limbs;
                    if (from is >= 0 and < 4) _il.Ldloc(_sets[r][from]); else _il.Ldloc(_y);
                    St(r, to);
                }
                _il.MarkLabel(skip);
            }
            // count = (int)n0 & 63; then each limb shifts, taking what crosses from its neighbour.
            Ld(n, 0); _il.ConvI4(); _il.Ldc(63); _il.And(); _il.Stloc(_count);
            for (int i = 0; i < 4; i++)
            {
                int k = left ? 3 - i : i, neighbour = left ? k - 1 : k + 1;
                _il.Ldloc(_sets[r][k]); _il.Ldloc(_count);
                if (left) _il.Shl(); else if (arithmetic && k == 3) _il.Shr(); else _il.ShrUn();
                if (neighbour is >= 0 and < 4)
                {
                    // SHL: | (r[k-1] >> 1) >> (63 - count); SHR/SAR: | (r[k+1] << 1) << (63 - count);
                    _il.Ldloc(_sets[r][neighbour]); _il.Ldc(1);
                    if (left) _il.ShrUn(); else _il.Shl();
                    _il.Ldc(63); _il.Ldloc(_count); _il.Sub();
                    if (left) _il.ShrUn(); else _il.Shl();
                    _il.Or();
                }
                St(r, k);
            }
            _il.MarkLabel(done);
            Result(2, r);
        }

        private void LoadExtended(int v, int limb, bool arithmetic)
        {
            if (limb < 4) Ld(v, limb);
            else if (arithmetic) _il.Ldloc(_y);
            else _il.LdcU8(0);
        }

        /// <summary>
        /// Leaves in <c>address</c> the address of memory byte offset (item <paramref name="o"/>), or branches: to
        /// <paramref name="slow"/> when the offset needs more than 32 bits, to <paramref name="grow"/> when offset +
        /// <paramref name="size"/> is past the memory's current size. The grow path comes back to
        /// <paramref name="address"/>, which this marks.
        /// </summary>
        private void EmitMemoryAddress(int o, int size, Label slow, Label grow, Label address)
        {
            // if ((o1 | o2 | o3 | o0 >> 32) != 0) goto slow; — not for a constant offset (the callers take only those
            // below 2^31 inline).
            if (Get(o).Kind != EntryKind.Const)
            {
                Ld(o, 1); Ld(o, 2); _il.Or(); Ld(o, 3); _il.Or(); Ld(o, 0); _il.Ldc(32); _il.ShrUn(); _il.Or(); OrOpaqueZero(); _il.Brtrue(slow);
            }
            // accessEnd = o0 + size; if (accessEnd > (ulong)memory._size) goto grow;
            Ld(o, 0); _il.LdcU8((ulong)size); _il.Add(); _il.Stloc(_accessEnd); _il.Ldloc(_accessEnd);
            _il.Ldarg0(); _il.Ldfld(s_frameMemory); _il.Ldfld(s_memorySize); _il.ConvU8();
            _il.BgtUn(grow);
            // address = ref memory._buffer[0] + o0;
            _il.MarkLabel(address);
            _il.Ldarg0(); _il.Ldfld(s_frameMemory); _il.Ldfld(s_memoryBuffer); _il.Call(s_arrayData);
            Ld(o, 0); _il.ConvI(); _il.Add(); _il.Stloc(_address);
        }

        /// <summary>
        /// The memory expansion of an access at a 32-bit offset past the memory's size (its end in accessEnd), where
        /// running out of gas can only end the frame with OutOfGas (not <see cref="ExactAfter"/>). Emitted after the
        /// region's code, so that the accesses themselves stay short and together (a straight run of accesses that all
        /// grow memory is bound by instruction fetch): charge as the core would, then back to <paramref name="address"/>.
        /// </summary>
        private void EmitMemoryGrow(Label grow, long correction, Label address)
        {
            if (_il.Measuring) EmitGrowth(grow, correction, address); // counted where it would be emitted
            else _growths.Add((grow, correction, address));
        }

        private void EmitGrowth(Label grow, long correction, Label address)
        {
            // gasCell = gas + correction; if (!frame.Memory.Grow(ref gasCell, accessEnd)) return OutOfGas;
            _il.MarkLabel(grow);
            _il.Ldloc(_gas);
            if (correction != 0) { _il.LdcI8(correction); _il.Add(); }
            _il.Stloc(_gasCell);
            _il.Ldarg0(); _il.Ldfld(s_frameMemory); _il.Ldloca(_gasCell); _il.Ldloc(_accessEnd); _il.Call(s_memoryGrow);
            _il.Brfalse(_outOfGas);
            // gas = gasCell; if (gas < correction) return OutOfGas (the rest of the block cannot be paid); gas -= correction;
            _il.Ldloc(_gasCell); _il.Stloc(_gas);
            if (correction != 0)
            {
                _il.Ldloc(_gas); _il.LdcI8(correction); _il.Blt(_outOfGas);
                _il.Ldloc(_gas); _il.LdcI8(correction); _il.Sub(); _il.Stloc(_gas);
            }
            _il.Br(address);
        }

        private bool EmitMLoad(int next, long correction)
        {
            int o = _h;
            var e = Get(o);
            if (e.Kind == EntryKind.Const && (!e.Value.FitsInUInt64 || e.Value.U0 > int.MaxValue)) return false;
            var done = _il.DefineLabel();
            var address = _il.DefineLabel();
            bool exact = correction != 0 && ExactAfter(next);
            // When the interpreter may have to take over, growth and an offset of 2^32 or more both go to the core.
            // Otherwise growth is charged inline and such an offset goes straight to OutOfGas: the core could only fail
            // so (memory past Array.MaxLength is never granted), and the IL of a core call is saved on every access.
            var slow = exact ? _il.DefineLabel() : _outOfGas;
            var grow = exact ? slow : _il.DefineLabel();
            int r = NewSet();
            EmitMemoryAddress(o, 32, slow, grow, address);
            // r[k] = big-endian ulong at address + 8·(3 - k)
            for (int k = 0; k < 4; k++)
            {
                _il.Ldloc(_address);
                if (k != 3) { _il.Ldc(8 * (3 - k)); _il.ConvI(); _il.Add(); }
                _il.Unaligned(); _il.LdindI8(); _il.Call(s_byteSwap); St(r, k);
            }
            _il.Br(done);
            if (!exact) EmitMemoryGrow(grow, correction, address);
            else
            {
                // Slow path (growth or a huge offset): the whole stack to memory, then the core, which may hand over.
                _il.MarkLabel(slow);
                EmitStores();
                EmitCoreCall(MLOAD, s_cores[MLOAD]!, o, correction, next, _h, exact);
                for (int k = 0; k < 4; k++) { LoadLimb(o, k); St(r, k); }
            }
            _il.MarkLabel(done);
            BoundOffset(o); // a larger offset failed (OutOfGas)
            Result(1, r);
            return true;
        }

        private bool EmitMStore(int next, long correction, int size)
        {
            int o = _h, v = _h - 1;
            var e = Get(o);
            if (e.Kind == EntryKind.Const && (!e.Value.FitsInUInt64 || e.Value.U0 > int.MaxValue)) return false;
            var done = _il.DefineLabel();
            var address = _il.DefineLabel();
            bool exact = correction != 0 && ExactAfter(next);
            var slow = exact ? _il.DefineLabel() : _outOfGas; // as in EmitMLoad
            var grow = exact ? slow : _il.DefineLabel();
            EmitMemoryAddress(o, size, slow, grow, address);
            if (size == 32)
            {
                // big-endian ulong at address + 8·j = v[3 - j]
                for (int j = 0; j < 4; j++)
                {
                    _il.Ldloc(_address);
                    if (j != 0) { _il.Ldc(8 * j); _il.ConvI(); _il.Add(); }
                    Ld(v, 3 - j); _il.Call(s_byteSwap); _il.Unaligned(); _il.StindI8();
                }
            }
            else { _il.Ldloc(_address); Ld(v, 0); _il.StindI1(); }
            _il.Br(done);
            if (!exact) EmitMemoryGrow(grow, correction, address);
            else
            {
                _il.MarkLabel(slow);
                EmitStores();
                byte op = size == 32 ? MSTORE : MSTORE8;
                EmitCoreCall(op, s_cores[op]!, o, correction, next, _h - 2, exact);
            }
            _il.MarkLabel(done);
            BoundOffset(o);
            Pop(2);
            return true;
        }

        /// <summary>Calls the instruction core of <paramref name="op"/> on its inputs (written to memory first).</summary>
        private void EmitCore(byte op, long correction, int next, int inputs, int outputs)
        {
            var core = CoreOf(op)!;
            // A core whose gas check may hand the frame to the interpreter needs the whole stack in memory; others
            // only their inputs.
            bool exact = UsesGas(op) && correction != 0 && ExactAfter(next);
            if (exact) FlushAll();
            else FlushRange(_h - inputs + 1, _h);
            int top = _h;
            int after = _h - inputs + outputs;
            EmitCoreCall(op, core, top, correction, next, after, exact);
            _h -= inputs; // flushed: nothing to release
            for (int i = 0; i < outputs; i++) Push(default);
        }

        /// <summary>
        /// Calls <paramref name="core"/> with its top item at <paramref name="top"/> (its inputs in memory). When its
        /// gas leaves less than the rest of the block's static gas: the interpreter takes over after it if
        /// <paramref name="exact"/> (the whole stack must then be in memory), else the frame fails with OutOfGas.
        /// </summary>
        private void EmitCoreCall(byte op, MethodInfo core, int top, long correction, int next, int after, bool exact)
        {
            var parameters = ParameterTypesOf(op);
            bool usesGas = UsesGas(op);
            // gasCell = gas + correction: the core sees the exact remaining gas.
            if (usesGas)
            {
                _il.Ldloc(_gas);
                if (correction != 0) { _il.LdcI8(correction); _il.Add(); }
                _il.Stloc(_gasCell);
            }
            foreach (var type in parameters)
            {
                if (type == typeof(ExecutionFrame)) _il.Ldarg0();
                else if (type == typeof(UInt256).MakeByRefType()) Slot(top);
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
                    _il.Ldloc(_gas); _il.LdcI8(correction); _il.Blt(exact ? Fallback(next, after, 0) : _outOfGas);
                    _il.Ldloc(_gas); _il.LdcI8(correction); _il.Sub(); _il.Stloc(_gas);
                }
            }
        }

        private void EmitTerminator(int b, BasicBlock block, byte op, int pc)
        {
            EnsureTop();
            switch (block.EndKind)
            {
                case BlockEndKind.Stop: Halt(StatusCode.Success); return;
                case BlockEndKind.Invalid: Halt(StatusCode.InvalidInstruction); return;
                case BlockEndKind.Undefined: Halt(StatusCode.UndefinedInstruction); return;
                case BlockEndKind.Return:
                case BlockEndKind.Revert:
                case BlockEndKind.SelfDestruct:
                {
                    var info = OpcodeTable.Get(op, _analysis.Fork)!.Value;
                    EmitCore(op, 0, pc + 1, info.StackInputs, info.StackOutputs);
                    Halt(block.EndKind == BlockEndKind.Revert ? StatusCode.Revert : StatusCode.Success);
                    return;
                }
                case BlockEndKind.Jump:
                {
                    int below = _h - 1;
                    if (TakenCarryTarget(b, below) >= 0)
                    {
                        // Only what the target reads stays in locals.
                        FlushRange(_low, below - _analysis.Blocks[_fn.Blocks[b].JumpsStaticallyTo].StackRequired);
                        int target = TakenCarryTarget(b, below);
                        if (target >= 0) { EmitTaken(b, _h, below, target); return; }
                    }
                    FlushRange(_low, below);
                    EmitJump(b, _h, below);
                    return;
                }
                case BlockEndKind.JumpI:
                {
                    int dest = _h, condition = _h - 1, below = _h - 2;
                    var c = Get(condition);
                    bool carryOn = CanCarryInto(block);
                    int target = TakenCarryTarget(b, below);
                    if (carryOn || target >= 0)
                    {
                        // Only what a successor reads stays in locals; deeper items go to memory on both paths.
                        int reach = Math.Max(carryOn ? _analysis.Blocks[block.FallThrough].StackRequired : 0,
                            target >= 0 ? _analysis.Blocks[_fn.Blocks[b].JumpsStaticallyTo].StackRequired : 0);
                        FlushRange(_low, below - reach);
                        target = TakenCarryTarget(b, below);
                    }
                    else FlushRange(_low, below); // once, for both paths
                    if (c.Kind == EntryKind.Const && !c.Value.IsZero)
                    {
                        // A condition known at compile time: one branch.
                        EmitTaken(b, dest, below, target);
                        return;
                    }
                    if (c.Kind != EntryKind.Const)
                    {
                        // if (condition is not zero) { the taken path }
                        var notTaken = _il.DefineLabel();
                        LdZeroTest(condition);
                        _il.Brfalse(notTaken);
                        EmitTaken(b, dest, below, target);
                        _il.MarkLabel(notTaken);
                    }
                    // The next block: entered only from here, it goes on with the virtual stack (see CarryIntoNext).
                    if (carryOn) { Pop(2); CarryIntoNext(); return; }
                    FlushRange(_low, below);
                    if (block.FallThrough >= 0) GoTo(block.FallThrough, below);
                    else Halt(StatusCode.Success);
                    return;
                }
                default:
                    throw new InvalidOperationException($"block {b} ends with {block.EndKind} at {pc}");
            }
        }

        /// <summary>
        /// The taken path of a JUMP or JUMPI whose items up to <paramref name="below"/> stay (the destination at
        /// <paramref name="dest"/>); the compile-time state is unchanged. To a block that only this jump enters
        /// statically (<paramref name="target"/>, its first segment, from <see cref="TakenCarryTarget"/>; else -1), the
        /// items in locals go on in them; everything else is written to memory.
        /// </summary>
        private void EmitTaken(int b, int dest, int below, int target)
        {
            if (target < 0)
            {
                EmitStores(_low, below);
                EmitJump(b, dest, below);
                return;
            }
            // Nothing is written: a set goes on in locals (its topmost position loads it on the entry from the switch,
            // where a computed jump may come with other values in memory), the other positions holding it go on as its
            // copies, constants as constants; that entry checks both against memory (see EmitCarriedEntry).
            var items = new List<(int Position, int Set)>();
            var copies = new List<(int Position, int Set)>();
            var constants = new List<(int Position, UInt256 Value)>();
            for (int p = below; p >= _low; p--)
            {
                var e = _entries[p + _offset];
                if (e.Kind == EntryKind.Local)
                {
                    if (!items.Exists(item => item.Set == e.Set)) items.Add((p - below, e.Set));
                    else copies.Add((p - below, e.Set));
                }
                else if (e.Kind == EntryKind.Const) constants.Add((p - below, e.Value));
            }
            MoveSp(below);
            var label = _il.DefineLabel();
            _il.Br(label);
            _takenCarries.Add(target, new TakenCarry(label, items.ToArray(), copies.ToArray(), constants.ToArray()));
        }

        /// <summary>
        /// The first segment of the block a static jump of block <paramref name="b"/> takes, when that block can start
        /// with the jump's items in locals: no other static edge enters it, it is emitted later in this region, and
        /// some of the items up to <paramref name="below"/> are in locals (none dead); else -1.
        /// </summary>
        private int TakenCarryTarget(int b, int below)
        {
            if (_il.Measuring || _firstSegmentOf.Length == 0) return -1;
            int t = _fn.Blocks[b].JumpsStaticallyTo;
            if (t < 0 || StaticPredecessors[t] != 1) return -1;
            int ts = _firstSegmentOf[t];
            if (ts <= _segment || !InRegion(ts) || _takenCarries.ContainsKey(ts)) return -1;
            if (_fn.Blocks[t].IsRemoved || NeverCompiled(_analysis.Blocks[t])) return -1;
            if (HasDeadItem(_low, below)) return -1;
            for (int p = _low; p <= below; p++)
                if (_entries[p + _offset].Kind is EntryKind.Local or EntryKind.Const) return ts;
            return -1;
        }

        /// <summary>True when an item at [lo, hi] is a dead value (never computed: it cannot go on to another block).</summary>
        private bool HasDeadItem(int lo, int hi)
        {
            for (int p = Math.Max(lo, _low); p <= hi; p++)
                if (_entries[p + _offset].Kind == EntryKind.Dead) return true;
            return false;
        }

        /// <summary>True when an item at [lo, hi] is not in memory (a constant or in locals): what EmitStores writes.</summary>
        private bool HasItemsOutOfMemory(int lo, int hi)
        {
            for (int p = Math.Max(lo, _low); p <= hi; p++)
                if (_entries[p + _offset].Kind is EntryKind.Const or EntryKind.Local) return true;
            return false;
        }

        // Per block: the static edges (fall-through, static jump) into it.
        private int[]? _staticPredecessors;
        private int[] StaticPredecessors
        {
            get
            {
                if (_staticPredecessors is not null) return _staticPredecessors;
                var counts = new int[_fn.Blocks.Count];
                foreach (var block in _fn.Blocks)
                {
                    if (block.IsRemoved) continue;
                    if (block.FallsThroughTo >= 0) counts[block.FallsThroughTo]++;
                    if (block.JumpsStaticallyTo >= 0) counts[block.JumpsStaticallyTo]++;
                }
                return _staticPredecessors = counts;
            }
        }

        /// <summary>
        /// Whether the block after a JUMPI can start with the JUMPI's virtual stack: it is the next segment emitted, in
        /// this region, and has no JUMPDEST (so nothing but this fall-through enters it), and the items left are all
        /// values (no dead ones).
        /// </summary>
        private bool CanCarryInto(BasicBlock block)
        {
            if (_il.Measuring || _firstSegmentOf.Length == 0) return false;
            int next = block.FallThrough;
            if (next < 0 || _firstSegmentOf[next] != _segment + 1 || !InRegion(_segment + 1)) return false;
            var nb = _analysis.Blocks[next];
            return _analysis.Code[nb.Start] != JUMPDEST && !_fn.Blocks[next].IsRemoved && !NeverCompiled(nb) && !HasDeadItem(_low, _h - 2);
        }

        /// <summary>
        /// Falls through to the next segment with the virtual stack as it is: sp moves to the next block's entry height
        /// and the items' positions are renumbered from it.
        /// </summary>
        private void CarryIntoNext()
        {
            int change = _h;
            MoveSp(change);
            if (_low <= _h) Array.Copy(_entries, _low + _offset, _entries, _low - change + _offset, _h - _low + 1);
            Array.Clear(_loadedInto);
            _low = Math.Min(_low - change, 1);
            _h = 0;
            _topReady = false;
            _carryInto = _segment + 1;
        }

        /// <summary>
        /// Jumps to the destination item at <paramref name="dest"/>; everything under it is in memory already. The IR's
        /// jump resolution says whether the destination is a known block, a known failure, or computed at run time.
        /// </summary>
        private void EmitJump(int b, int dest, int stackChange)
        {
            var ir = _fn.Blocks[b];
            if (ir.Jump == JumpResolution.InvalidTarget) { _il.Br(_badJump); return; }
            if (ir.Jump == JumpResolution.Static) { GoTo(ir.TakenBlock, stackChange); return; }
            // Dynamic: if (dest.U1 | dest.U2 | dest.U3) != 0 || dest.U0 >= codeLength → bad jump;
            Ld(dest, 1); Ld(dest, 2); _il.Or(); Ld(dest, 3); _il.Or();
            OrOpaqueZero(); _il.Brtrue(_badJump);
            Ld(dest, 0); _il.LdcU8((ulong)_analysis.Code.Length); _il.BgeUn(_badJump);
            // target = destinations[(int)dest.U0]; if (target < 0) bad jump; sp += change; goto dispatch;
            _il.Ldarg2(); Ld(dest, 0); _il.ConvI4(); _il.LdelemI4(); _il.Stloc(_target);
            _il.Ldloc(_target); _il.Ldc(0); _il.Blt(_badJump);
            MoveSp(stackChange);
            _il.Br(_dispatch);
        }
    }
}
