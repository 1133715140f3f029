using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Numerics;

namespace Jevm.Ir;

/// <summary>
/// Builds the SSA-like IR from a <see cref="BytecodeAnalysis"/> by running each block on a symbolic stack of value ids:
/// PUSH and PC create constants, DUP and SWAP rename, POP drops, JUMPDEST vanishes, every other instruction becomes a
/// node whose operands are the ids it pops. Linear in code size.
/// </summary>
public static class IrBuilder
{
    /// <summary>Builds the unoptimised IR of <paramref name="analysis"/>.</summary>
    public static IrFunction Build(BytecodeAnalysis analysis)
    {
        var summaries = analysis.Blocks;
        var blocks = new IrBlock[summaries.Length];
        int maxHeight = 0, instructions = 0, parameters = 0;
        for (int i = 0; i < summaries.Length; i++)
        {
            blocks[i] = new IrBlock(i, analysis);
            maxHeight = Math.Max(maxHeight, summaries[i].StackRequired + summaries[i].StackMaxGrowth);
            instructions += summaries[i].InstructionCount;
            parameters += summaries[i].StackRequired;
        }
        // Upper bounds (each instruction defines at most one value and one node), so the tables never regrow;
        // operands average under two per instruction and grow if a code is unusually call-heavy.
        var fn = new IrFunction(analysis, blocks, instructions + parameters, instructions, 2 * instructions);
        var facts = OpcodeFacts.For(analysis.Fork);
        var stack = new int[Math.Max(1, maxHeight)];
        var code = analysis.Code;
        foreach (var block in blocks) BuildBlock(fn, block, code, facts, stack, analysis.GasPointsOf(block.Index));
        return fn;
    }

    private static void BuildBlock(IrFunction fn, IrBlock block, ReadOnlySpan<byte> code, OpcodeFacts facts, int[] stack, ReadOnlySpan<GasPoint> points)
    {
        var s = block.Summary;
        int need = s.StackRequired;
        block.ParameterCount = need;
        block.FirstParameter = fn._valueCount;
        // stack[0] is the bottom; the entry top (parameter 0) sits at stack[need - 1].
        for (int slot = 0; slot < need; slot++)
            stack[need - 1 - slot] = fn.AddValue(new IrValue { Kind = IrValueKind.Parameter, Block = block.Index, Index = slot });
        int sp = need;
        block.FirstNode = fn._nodeCount;
        int point = 0;
        int pc = s.Start;
        for (int k = 0; k < s.InstructionCount; k++)
        {
            byte op = code[pc];
            int imm = facts.ImmediateSize[op];
            var flags = facts.Flags[op];
            var shape = InstructionShapes.Of(op, facts);
            switch (shape)
            {
                case InstructionShape.Push:
                {
                    // Immediate bytes past the end of the code read as zero.
                    var value = UInt256.ReadBigEndianPadded(code.Slice(Math.Min(pc + 1, code.Length), Math.Max(0, Math.Min(imm, code.Length - pc - 1))));
                    if (imm > 0 && pc + 1 + imm > code.Length) UInt256.ShiftLeft(value, 8 * (pc + 1 + imm - code.Length), out value);
                    stack[sp++] = Constant(fn, block.Index, value);
                    break;
                }
                case InstructionShape.Pc:
                    stack[sp++] = Constant(fn, block.Index, (ulong)pc);
                    break;
                case InstructionShape.Dup or InstructionShape.Swap or InstructionShape.Pop or InstructionShape.JumpDest:
                    InstructionShapes.MoveIds(shape, op, facts, stack, ref sp);
                    break;
                default:
                    if (facts.Gas[op] == OpcodeTable.Undefined)
                    {
                        fn.AddNode(new IrNode { Kind = IrNodeKind.Halt, Opcode = op, Pc = pc, Block = block.Index, Result = -1, FirstOperand = fn._operandCount });
                        break;
                    }
                    sp = AddNode(fn, block, op, pc, flags, facts, stack, sp, points, ref point);
                    break;
            }
            pc += 1 + imm;
        }
        block.NodeCount = fn._nodeCount - block.FirstNode;
        var outputs = sp == 0 ? [] : new int[sp];
        for (int i = 0; i < sp; i++) outputs[i] = stack[sp - 1 - i];
        block.Outputs = outputs;
        block.Jump = s.EndKind is BlockEndKind.Jump or BlockEndKind.JumpI ? JumpResolution.Unresolved : JumpResolution.None;
        block.FallThroughBlock = s.FallThrough;
    }

    /// <summary>Adds the node of instruction <paramref name="op"/> at <paramref name="pc"/>; returns the new stack pointer.</summary>
    private static int AddNode(IrFunction fn, IrBlock block, byte op, int pc, OpcodeFlags flags, OpcodeFacts facts, int[] stack, int sp,
        ReadOnlySpan<GasPoint> points, ref int point)
    {
        var kind = op switch
        {
            OpcodeTable.JUMP => IrNodeKind.Jump,
            OpcodeTable.JUMPI => IrNodeKind.JumpI,
            _ when (flags & OpcodeFlags.Halts) != 0 => IrNodeKind.Halt,
            _ when (flags & OpcodeFlags.Pure) != 0 => IrNodeKind.Pure,
            _ => IrNodeKind.Effect,
        };
        int inputs = facts.Inputs[op];
        int first = fn._operandCount;
        for (int i = 0; i < inputs; i++) fn.AddOperand(stack[--sp]);
        var nodeFlags = IrNodeFlags.None;
        long correction = 0;
        if ((flags & (OpcodeFlags.GasObservable | OpcodeFlags.DynamicGas)) != 0)
        {
            if ((flags & OpcodeFlags.GasObservable) != 0) nodeFlags |= IrNodeFlags.ObservesGas;
            if ((flags & OpcodeFlags.DynamicGas) != 0) nodeFlags |= IrNodeFlags.DynamicGas;
            // The frontend recorded a gas point for exactly these instructions, in order.
            correction = points[point++].Correction;
        }
        int nodeIndex = fn._nodeCount;
        int result = -1;
        if (facts.Outputs[op] == 1)
        {
            result = fn.AddValue(new IrValue { Kind = IrValueKind.Result, Block = block.Index, Index = nodeIndex });
            stack[sp++] = result;
        }
        fn.AddNode(new IrNode
        {
            Kind = kind, Opcode = op, Flags = nodeFlags, Pc = pc, Block = block.Index, Result = result,
            FirstOperand = first, OperandCount = inputs, GasCorrection = correction,
        });
        return sp;
    }

    private static int Constant(IrFunction fn, int block, in UInt256 value) =>
        fn.AddValue(new IrValue { Kind = IrValueKind.Constant, Block = block, Index = fn.AddConstant(value) });
}
