namespace Jevm.Frontend;

/// <summary>What happens to gas at a <see cref="GasPoint"/>.</summary>
[Flags]
public enum GasPointKind : byte
{
    /// <summary>Nothing (never stored).</summary>
    None = 0,
    /// <summary>
    /// The instruction reads the exact remaining gas: GAS pushes it, the CALL family forwards up to 63/64 of it,
    /// CREATE/CREATE2 forward 63/64 of it, SSTORE fails when it is ≤ 2300 (EIP-2200).
    /// </summary>
    ObservesGas = 1 << 0,
    /// <summary>The instruction charges gas beyond its base: memory expansion, copies, KECCAK256, EXP, LOG, cold access, calls, SSTORE.</summary>
    AddsDynamicGas = 1 << 1,
}

/// <summary>
/// A point inside a block where exact gas matters. When the whole <see cref="BasicBlock.StaticGas"/> was charged on
/// entry, the interpreter's remaining gas at this instruction (after its own base cost, before its dynamic cost) is
/// the block-level remaining gas plus <see cref="Correction"/>.
/// </summary>
public readonly struct GasPoint
{
    /// <summary>Offset of the instruction.</summary>
    public int Pc { get; init; }
    /// <summary>Position of the instruction in its block (0 = first).</summary>
    public int Index { get; init; }
    /// <summary>The opcode.</summary>
    public byte Opcode { get; init; }
    /// <summary>Why this point is recorded.</summary>
    public GasPointKind Kind { get; init; }
    /// <summary>Base gas of the block's instructions up to and including this one.</summary>
    public long GasThrough { get; init; }
    /// <summary>Base gas of the block's instructions after this one: the amount precharged but not yet due.</summary>
    public long Correction { get; init; }
}
