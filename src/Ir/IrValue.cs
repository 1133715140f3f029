using Jevm.Numerics;

namespace Jevm.Ir;

/// <summary>Where an IR value comes from.</summary>
public enum IrValueKind : byte
{
    /// <summary>
    /// A block-entry stack slot. <see cref="IrValue.Index"/> is the slot: 0 is the top of the stack on entry to the
    /// block, 1 the item below it, and so on. Text form: <c>$0</c>, <c>$1</c>.
    /// </summary>
    Parameter,
    /// <summary>
    /// A constant known at compile time: a PUSH immediate, the PC of a PC instruction, or a folded result.
    /// <see cref="IrValue.Constant"/> holds it. Text form: hex, e.g. <c>0x2a</c>.
    /// </summary>
    Constant,
    /// <summary>
    /// The result of the node at <see cref="IrValue.Index"/> in <see cref="IrFunction.Nodes"/>. Text form:
    /// <c>%n</c>, numbered from 0 in each block in order of definition.
    /// </summary>
    Result,
}

/// <summary>
/// One value of the IR, referenced by its id (its index in <see cref="IrFunction.Values"/>). Values are local to the
/// block that defines them: a block sees the stack items it did not push as parameters.
/// </summary>
public readonly struct IrValue
{
    /// <summary>Where the value comes from.</summary>
    public IrValueKind Kind { get; init; }
    /// <summary>The block (index in <see cref="IrFunction.Blocks"/>) the value belongs to.</summary>
    public int Block { get; init; }
    /// <summary>Parameter: the entry stack slot (0 = top). Result: the defining node. Constant: unused (-1).</summary>
    public int Index { get; init; }
    /// <summary>The value of a <see cref="IrValueKind.Constant"/>; zero otherwise.</summary>
    public UInt256 Constant { get; init; }

    /// <summary>True for a constant.</summary>
    public bool IsConstant => Kind == IrValueKind.Constant;
}
