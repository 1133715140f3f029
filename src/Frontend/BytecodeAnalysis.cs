using Jevm.Evm;
using Jevm.Evm.Analysis;

namespace Jevm.Frontend;

/// <summary>
/// The analysis of one code for one fork: its basic blocks (a partition of the code), the control-flow edges that
/// are known statically, per-block gas and stack summaries and the gas points inside blocks. Immutable plain data,
/// built in one linear pass; share it through <see cref="BytecodeAnalysisCache"/>.
/// </summary>
/// <remarks>
/// A block starts at offset 0, at each JUMPDEST and after each terminator (after JUMPI it is the fall-through
/// successor; after the others it is only reachable through a JUMPDEST, i.e. it starts with one or is dead code).
/// It ends at STOP, RETURN, REVERT, INVALID, an opcode undefined in the fork, SELFDESTRUCT, JUMP, JUMPI, just before
/// a JUMPDEST, or at the end of the code (an implicit STOP).
/// </remarks>
public sealed class BytecodeAnalysis
{
    private readonly byte[] _code;
    private readonly BasicBlock[] _blocks;
    private readonly GasPoint[] _gasPoints;

    private BytecodeAnalysis(byte[] code, Fork fork, JumpDestMap jumpDests, BasicBlock[] blocks, GasPoint[] gasPoints)
    {
        _code = code; Fork = fork; JumpDests = jumpDests; _blocks = blocks; _gasPoints = gasPoints;
    }

    /// <summary>The analysed code (a private copy).</summary>
    public ReadOnlySpan<byte> Code => _code;

    /// <summary>The fork whose opcode table was used.</summary>
    public Fork Fork { get; }

    /// <summary>The valid jump destinations.</summary>
    public JumpDestMap JumpDests { get; }

    /// <summary>The blocks in code order; they partition [0, code length).</summary>
    public ReadOnlySpan<BasicBlock> Blocks => _blocks;

    /// <summary>The gas points of all blocks, in code order; a block owns a contiguous range.</summary>
    public ReadOnlySpan<GasPoint> GasPoints => _gasPoints;

    /// <summary>The gas points of block <paramref name="block"/>.</summary>
    public ReadOnlySpan<GasPoint> GasPointsOf(int block)
    {
        ref readonly var b = ref _blocks[block];
        return _gasPoints.AsSpan(b.FirstGasPoint, b.GasPointCount);
    }

    /// <summary>The index of the block containing offset <paramref name="pc"/> (binary search), or -1 when outside the code.</summary>
    public int BlockIndexAt(int pc)
    {
        if ((uint)pc >= (uint)_code.Length) return -1;
        int lo = 0, hi = _blocks.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (_blocks[mid].Start <= pc) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>The block starting at a valid jump destination, or -1 when <paramref name="destination"/> is not one.</summary>
    public int BlockAtJumpDest(ulong destination)
    {
        if (!JumpDests.IsValid(destination)) return -1;
        return BlockIndexAt((int)destination);
    }

    /// <summary>Analyses <paramref name="code"/> for <paramref name="fork"/> (copies the code).</summary>
    public static BytecodeAnalysis Analyze(ReadOnlySpan<byte> code, Fork fork)
    {
        var copy = code.ToArray();
        var facts = OpcodeFacts.For(fork);
        var jumpDests = JumpDestMap.Analyze(copy);
        // Most blocks hold several instructions; start small and grow geometrically.
        var blocks = new BasicBlock[Math.Max(4, copy.Length / 16)];
        var points = new GasPoint[Math.Max(4, copy.Length / 64)];
        int blockCount = 0, pointCount = 0;
        int n = copy.Length;
        int pc = 0;
        while (pc < n)
        {
            int start = pc, count = 0, height = 0, need = 0, max = 0, firstPoint = pointCount, lastPc = pc;
            long gas = 0;
            var flags = code[pc] == OpcodeTable.JUMPDEST ? BlockFlags.JumpDest : BlockFlags.None;
            var end = BlockEndKind.ImplicitStop;
            int staticTarget = -1;
            // Offset and size of the PUSH immediately before the current instruction, for PUSH;JUMP targets.
            int prevPushPc = -1;
            while (true)
            {
                byte op = copy[pc];
                lastPc = pc;
                count++;
                short g = facts.Gas[op];
                if (g == OpcodeTable.Undefined)
                {
                    end = BlockEndKind.Undefined;
                    pc++;
                    break;
                }
                int inputs = facts.Inputs[op];
                if (inputs - height > need) need = inputs - height;
                height += facts.Outputs[op] - inputs;
                if (height > max) max = height;
                gas += g;
                var opFlags = facts.Flags[op];
                if ((opFlags & (OpcodeFlags.GasObservable | OpcodeFlags.DynamicGas)) != 0)
                {
                    var kind = GasPointKind.None;
                    if ((opFlags & OpcodeFlags.GasObservable) != 0) { kind |= GasPointKind.ObservesGas; flags |= BlockFlags.ObservesGas; }
                    if ((opFlags & OpcodeFlags.DynamicGas) != 0) { kind |= GasPointKind.AddsDynamicGas; flags |= BlockFlags.DynamicGas; }
                    if (pointCount == points.Length) Array.Resize(ref points, points.Length * 2);
                    points[pointCount++] = new GasPoint { Pc = pc, Index = count - 1, Opcode = op, Kind = kind, GasThrough = gas };
                }
                int next = pc + 1 + facts.ImmediateSize[op];
                if ((opFlags & OpcodeFlags.Terminator) != 0)
                {
                    end = EndKindOf(op);
                    if ((opFlags & OpcodeFlags.Jump) != 0)
                    {
                        if (prevPushPc >= 0)
                        {
                            // Resolved to a block index after all blocks exist; keep the destination offset meanwhile.
                            staticTarget = PushedTarget(copy, prevPushPc, facts.ImmediateSize[copy[prevPushPc]], jumpDests);
                            if (staticTarget < 0) flags |= BlockFlags.InvalidJumpTarget;
                        }
                        else flags |= BlockFlags.DynamicJump;
                    }
                    pc = next;
                    break;
                }
                prevPushPc = (opFlags & OpcodeFlags.Push) != 0 ? pc : -1;
                pc = next;
                if (pc >= n) { end = BlockEndKind.ImplicitStop; break; }
                if (copy[pc] == OpcodeTable.JUMPDEST) { end = BlockEndKind.FallThrough; break; }
            }
            for (int i = firstPoint; i < pointCount; i++)
            {
                ref var p = ref points[i];
                p = p with { Correction = gas - p.GasThrough };
            }
            if (blockCount == blocks.Length) Array.Resize(ref blocks, blocks.Length * 2);
            blocks[blockCount] = new BasicBlock
            {
                Start = start, End = Math.Min(pc, n), LastPc = lastPc, InstructionCount = count, EndKind = end, Flags = flags,
                FallThrough = end is BlockEndKind.FallThrough or BlockEndKind.JumpI && pc < n ? blockCount + 1 : -1,
                StaticTarget = staticTarget, StaticGas = gas, StackRequired = need, StackMaxGrowth = max,
                StackChange = height, FirstGasPoint = firstPoint, GasPointCount = pointCount - firstPoint,
            };
            blockCount++;
        }
        Array.Resize(ref blocks, blockCount);
        Array.Resize(ref points, pointCount);
        var result = new BytecodeAnalysis(copy, fork, jumpDests, blocks, points);
        // Turn destination offsets into block indices (blocks are sorted by start: binary search).
        for (int i = 0; i < blocks.Length; i++)
            if (blocks[i].StaticTarget >= 0)
                blocks[i] = blocks[i] with { StaticTarget = result.BlockIndexAt(blocks[i].StaticTarget) };
        return result;
    }

    /// <summary>The destination offset pushed by the PUSH at <paramref name="pushPc"/> when it is a valid JUMPDEST, else -1.</summary>
    private static int PushedTarget(byte[] code, int pushPc, int size, JumpDestMap jumpDests)
    {
        // Immediates past the end of the code read as zero; any non-zero byte above the low 4 makes it out of range.
        ulong value = 0;
        for (int i = 0; i < size; i++)
        {
            int at = pushPc + 1 + i;
            byte b = at < code.Length ? code[at] : (byte)0;
            if (i < size - 4) { if (b != 0) return -1; continue; }
            value = (value << 8) | b;
        }
        return jumpDests.IsValid(value) ? (int)value : -1;
    }

    private static BlockEndKind EndKindOf(byte op) => op switch
    {
        OpcodeTable.STOP => BlockEndKind.Stop,
        OpcodeTable.RETURN => BlockEndKind.Return,
        OpcodeTable.REVERT => BlockEndKind.Revert,
        OpcodeTable.INVALID => BlockEndKind.Invalid,
        OpcodeTable.SELFDESTRUCT => BlockEndKind.SelfDestruct,
        OpcodeTable.JUMP => BlockEndKind.Jump,
        OpcodeTable.JUMPI => BlockEndKind.JumpI,
        _ => BlockEndKind.Undefined,
    };
}
