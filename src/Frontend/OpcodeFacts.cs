using Jevm.Evm;

namespace Jevm.Frontend;

/// <summary>
/// Flat per-fork views of <see cref="OpcodeTable"/> (base gas, stack inputs/outputs, immediate size, flags) so the
/// analysis loop indexes arrays instead of copying <see cref="OpcodeInfo"/> records. Derived once from the table,
/// never written by hand: the table stays the single source of truth.
/// </summary>
internal sealed class OpcodeFacts
{
    private static readonly OpcodeFacts?[] s_byFork = new OpcodeFacts?[Enum.GetValues<Fork>().Length];

    /// <summary>Base gas, or <see cref="OpcodeTable.Undefined"/> for an opcode the fork does not define.</summary>
    public readonly short[] Gas = new short[256];
    public readonly byte[] Inputs = new byte[256];
    public readonly byte[] Outputs = new byte[256];
    public readonly byte[] ImmediateSize = new byte[256];
    public readonly OpcodeFlags[] Flags = new OpcodeFlags[256];

    private OpcodeFacts(Fork fork)
    {
        var gas = OpcodeTable.BaseGas(fork);
        for (int op = 0; op < 256; op++)
        {
            Gas[op] = gas[op];
            // PUSH immediates are skipped whether or not the fork defines the opcode, as JumpDestMap does.
            if (OpcodeTable.Get((byte)op) is { } any) ImmediateSize[op] = (byte)any.ImmediateSize;
            if (gas[op] == OpcodeTable.Undefined || OpcodeTable.Get((byte)op, fork) is not { } info) continue;
            Inputs[op] = (byte)info.StackInputs;
            Outputs[op] = (byte)info.StackOutputs;
            Flags[op] = info.Flags;
        }
    }

    /// <summary>The facts of <paramref name="fork"/> (built on first use; races build equal copies).</summary>
    public static OpcodeFacts For(Fork fork) => s_byFork[(int)fork] ??= new OpcodeFacts(fork);
}
