using FsCheck.Xunit;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Tests.Frontend;

namespace Jevm.Tests.Ir;

/// <summary>
/// The cursor the code generator walks blocks with must see exactly what the builder saw: every node in order, the
/// value each PUSH/PC/node pushed, and at the end of each block the stack the IR records as the block's outputs.
/// </summary>
public class IrBlockCursorTests
{
    private static readonly Fork[] s_forks = [Fork.Frontier, Fork.Byzantium, Fork.Shanghai, Fork.Cancun, Fork.Osaka];

    private static void CheckReplay(byte[] code, Fork fork)
    {
        var fn = IrBuilder.Build(BytecodeAnalysis.Analyze(code, fork));
        IrOptimizer.Run(fn);
        var cursor = new IrBlockCursor(fn);
        foreach (var block in fn.Blocks)
        {
            cursor.Reset(block);
            int nextNode = block.FirstNode, instructions = 0;
            while (cursor.MoveNext())
            {
                instructions++;
                Assert.Equal(code[cursor.Pc], cursor.Opcode);
                if (cursor.Node >= 0)
                {
                    Assert.Equal(nextNode++, cursor.Node);
                    Assert.Equal(cursor.Pc, fn.Nodes[cursor.Node].Pc);
                    Assert.Equal(fn.Nodes[cursor.Node].Result, cursor.Pushed);
                }
                else if (cursor.Pushed >= 0)
                {
                    Assert.True(fn.Values[cursor.Pushed].IsConstant);
                    if (cursor.Opcode == OpcodeTable.PC) Assert.Equal((ulong)cursor.Pc, fn.ConstantOf(cursor.Pushed).U0);
                }
                if (cursor.Pushed >= 0) Assert.Equal(cursor.Pushed, cursor.ValueAt(0));
            }
            Assert.Equal(block.Summary.InstructionCount, instructions);
            Assert.Equal(block.FirstNode + block.NodeCount, nextNode);
            // A block that ends in a halt may leave fewer items than it would have at its end; the IR's outputs are
            // the stack after the last instruction, which is where the cursor stands.
            Assert.Equal(block.Outputs.Length - block.ParameterCount, cursor.Height);
            for (int i = 0; i < block.Outputs.Length; i++) Assert.Equal(block.Outputs[i], cursor.ValueAt(i));
        }
    }

    [Property(MaxTest = 200)]
    public void StructuredProgramsReplayAsBuilt(int seed, byte forkPick) =>
        CheckReplay(ProgramGenerator.Generate(seed), s_forks[forkPick % s_forks.Length]);

    [Property(MaxTest = 300)]
    public void RandomBytesReplayAsBuilt(byte[] code, byte forkPick) =>
        CheckReplay(code, s_forks[forkPick % s_forks.Length]);
}
