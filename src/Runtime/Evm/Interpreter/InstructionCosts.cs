using System.Runtime.InteropServices;

namespace Jevm.Evm;

/// <summary>
/// Per fork and opcode, what the interpreter checks before each instruction, derived from <see cref="OpcodeTable"/>:
/// base gas and the allowed stack-height range.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct InstructionCost
{
    /// <summary>Base gas; negative for an opcode undefined in the fork.</summary>
    public readonly int Gas;
    /// <summary>Lowest stack height the opcode may start at (its inputs).</summary>
    public readonly short MinStack;
    /// <summary>Highest stack height the opcode may start at (1024 minus its growth).</summary>
    public readonly short MaxStack;
    /// <summary>Net change of the stack height.</summary>
    public readonly int StackChange;

    private InstructionCost(int gas, int min, int max, int change)
    {
        Gas = gas; MinStack = (short)min; MaxStack = (short)max; StackChange = change;
    }

    private static readonly InstructionCost[][] s_tables = Build();

    /// <summary>The 256-entry table of <paramref name="fork"/>.</summary>
    public static InstructionCost[] For(Fork fork) => s_tables[(int)fork];

    private static InstructionCost[][] Build()
    {
        var forks = Enum.GetValues<Fork>();
        var tables = new InstructionCost[forks.Length][];
        foreach (var fork in forks)
        {
            var gas = OpcodeTable.BaseGas(fork);
            var t = new InstructionCost[256];
            for (int op = 0; op < 256; op++)
            {
                if (gas[op] == OpcodeTable.Undefined || OpcodeTable.Get((byte)op, fork) is not { } info)
                {
                    // A range no stack height reaches: the one range check sends undefined opcodes to the slow path too.
                    t[op] = new InstructionCost(-1, GasCosts.MaxStackHeight + 1, GasCosts.MaxStackHeight + 1, 0);
                    continue;
                }
                t[op] = new InstructionCost(gas[op], info.StackInputs, GasCosts.MaxStackHeight - Math.Max(0, info.StackChange), info.StackChange);
            }
            tables[(int)fork] = t;
        }
        return tables;
    }
}
