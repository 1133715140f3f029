using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Ir;

/// <summary>What one EVM instruction becomes in the IR (shared by <see cref="IrBuilder"/> and <see cref="IrBlockCursor"/>).</summary>
internal enum InstructionShape : byte
{
    /// <summary>A node (possibly with a result value): every instruction that does work, and undefined opcodes.</summary>
    Node,
    /// <summary>PUSH0–PUSH32: a constant value.</summary>
    Push,
    /// <summary>PC: a constant value.</summary>
    Pc,
    /// <summary>DUP1–DUP16: renames.</summary>
    Dup,
    /// <summary>SWAP1–SWAP16: renames.</summary>
    Swap,
    /// <summary>POP: drops.</summary>
    Pop,
    /// <summary>JUMPDEST: nothing.</summary>
    JumpDest,
}

internal static class InstructionShapes
{
    /// <summary>
    /// Applies a DUP, SWAP, POP or JUMPDEST (what only moves value ids) to the symbolic stack
    /// <paramref name="stack"/>[0 .. <paramref name="sp"/>).
    /// </summary>
    public static void MoveIds(InstructionShape shape, byte op, OpcodeFacts facts, int[] stack, ref int sp)
    {
        switch (shape)
        {
            case InstructionShape.Dup:
                stack[sp] = stack[sp - facts.Inputs[op]];
                sp++;
                return;
            case InstructionShape.Swap:
            {
                int n = facts.Inputs[op] - 1;
                (stack[sp - 1], stack[sp - 1 - n]) = (stack[sp - 1 - n], stack[sp - 1]);
                return;
            }
            case InstructionShape.Pop:
                sp--;
                return;
            case InstructionShape.JumpDest:
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a shape that only moves value ids");
        }
    }

    public static InstructionShape Of(byte op, OpcodeFacts facts)
    {
        if (facts.Gas[op] == OpcodeTable.Undefined) return InstructionShape.Node;
        var flags = facts.Flags[op];
        if ((flags & OpcodeFlags.Push) != 0) return InstructionShape.Push;
        if ((flags & OpcodeFlags.Dup) != 0) return InstructionShape.Dup;
        if ((flags & OpcodeFlags.Swap) != 0) return InstructionShape.Swap;
        return op switch
        {
            OpcodeTable.POP => InstructionShape.Pop,
            OpcodeTable.PC => InstructionShape.Pc,
            OpcodeTable.JUMPDEST => InstructionShape.JumpDest,
            _ => InstructionShape.Node,
        };
    }
}

/// <summary>
/// Replays one block of an <see cref="IrFunction"/> instruction by instruction, as <see cref="IrBuilder"/> saw it:
/// each instruction's pc and opcode, the node it became (or none), the value it pushed (a constant or the node's
/// result), and the symbolic stack of value ids after it. A code generator walks a block with it to know, at every
/// instruction, which IR value each stack item is — the IR itself records only the exit stack.
/// </summary>
public sealed class IrBlockCursor
{
    private readonly IrFunction _fn;
    private readonly OpcodeFacts _facts;
    private int[] _stack = new int[64];
    private int _sp, _pc, _end, _nextNode, _nextValue, _base;
    private IrBlock? _block;

    /// <summary>A cursor over the blocks of <paramref name="fn"/>.</summary>
    public IrBlockCursor(IrFunction fn)
    {
        _fn = fn;
        _facts = OpcodeFacts.For(fn.Fork);
    }

    /// <summary>Offset of the current instruction (valid after <see cref="MoveNext"/> returned true).</summary>
    public int Pc { get; private set; }

    /// <summary>The current instruction's opcode.</summary>
    public byte Opcode { get; private set; }

    /// <summary>Offset of the instruction after the current one.</summary>
    public int NextPc => _pc;

    /// <summary>The index in <see cref="IrFunction.Nodes"/> of the node the current instruction became, or -1.</summary>
    public int Node { get; private set; }

    /// <summary>The value id the current instruction pushed (PUSH, PC or a node's result), or -1.</summary>
    public int Pushed { get; private set; }

    /// <summary>Stack height after the current instruction, relative to the block's entry height.</summary>
    public int Height => _sp - _base;

    /// <summary>The value id <paramref name="depth"/> items below the top (0 = top) after the current instruction.</summary>
    public int ValueAt(int depth) => _stack[_sp - 1 - depth];

    /// <summary>Starts <paramref name="block"/>: no current instruction yet; the stack holds the block's parameters.</summary>
    public void Reset(IrBlock block)
    {
        _block = block;
        var s = block.Summary;
        _base = block.ParameterCount;
        int capacity = block.ParameterCount + s.StackMaxGrowth + 1;
        if (_stack.Length < capacity) _stack = new int[Math.Max(capacity, 2 * _stack.Length)];
        for (int slot = 0; slot < block.ParameterCount; slot++) _stack[_base - 1 - slot] = block.FirstParameter + slot;
        _sp = _base;
        _pc = s.Start;
        _end = s.End;
        _nextNode = block.FirstNode;
        _nextValue = block.FirstParameter + block.ParameterCount;
        Pc = -1;
        Node = Pushed = -1;
    }

    /// <summary>Moves to the next instruction and applies its stack effect; false at the end of the block.</summary>
    public bool MoveNext()
    {
        if (_block is null || _pc >= _end) return false;
        var code = _fn.Analysis.Code;
        byte op = code[_pc];
        Pc = _pc;
        Opcode = op;
        Node = Pushed = -1;
        var shape = InstructionShapes.Of(op, _facts);
        switch (shape)
        {
            case InstructionShape.Push:
            case InstructionShape.Pc:
                Pushed = _nextValue++;
                _stack[_sp++] = Pushed;
                break;
            case InstructionShape.Dup or InstructionShape.Swap or InstructionShape.Pop or InstructionShape.JumpDest:
                InstructionShapes.MoveIds(shape, op, _facts, _stack, ref _sp);
                break;
            default:
            {
                Node = _nextNode++;
                ref readonly var node = ref _fn.Nodes[Node];
                _sp -= node.OperandCount;
                if (node.Result >= 0)
                {
                    Pushed = node.Result;
                    _nextValue++;
                    _stack[_sp++] = Pushed;
                }
                break;
            }
        }
        _pc += 1 + _facts.ImmediateSize[op];
        return true;
    }
}
