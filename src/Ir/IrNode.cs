namespace Jevm.Ir;

/// <summary>
/// The kinds of IR node. Every node corresponds to one EVM instruction of the block that does work (PUSH, DUP, SWAP,
/// POP, JUMPDEST and PC produce no node: they only rename, create or drop values). Operands are value ids listed
/// top of stack first, exactly the order the instruction pops them; the result, if any, is what it pushes.
/// </summary>
public enum IrNodeKind : byte
{
    /// <summary>
    /// A pure computation (the opcode has <see cref="Evm.OpcodeFlags.Pure"/>: arithmetic, comparison, bitwise,
    /// shifts, SIGNEXTEND, BYTE, CLZ, EXP). Operands: the opcode's inputs; result: its output. Example:
    /// <c>%0 = ADD $0, 0x1</c>. May be folded or removed when unused, except when it also charges dynamic gas (EXP),
    /// which keeps the node for its gas.
    /// </summary>
    Pure,
    /// <summary>
    /// An instruction with effects or that reads the environment (memory, storage, logs, calls, creates, context
    /// reads such as CALLER or GAS). Kept in program order; never removed. Example: <c>MSTORE 0x0, %0</c>,
    /// <c>%1 = CALL $0, 0x4, 0x0, 0x0, 0x20, 0x0, 0x20</c>.
    /// </summary>
    Effect,
    /// <summary>
    /// JUMP, the block's last node. Operand 0: the destination. No result. Its resolution is on the block
    /// (<see cref="IrBlock.Jump"/>, <see cref="IrBlock.TakenBlock"/>).
    /// </summary>
    Jump,
    /// <summary>
    /// JUMPI, the block's last node. Operand 0: the destination; operand 1: the condition. No result. Resolution and
    /// successors on the block (<see cref="IrBlock.Jump"/>, <see cref="IrBlock.KnownCondition"/>,
    /// <see cref="IrBlock.TakenBlock"/>, <see cref="IrBlock.FallThroughBlock"/>).
    /// </summary>
    JumpI,
    /// <summary>
    /// An instruction that ends the frame, the block's last node: STOP, RETURN (operands offset, size), REVERT
    /// (offset, size), INVALID, SELFDESTRUCT (beneficiary), or an opcode undefined in the fork (no operands;
    /// printed <c>UNDEFINED(0x0c)</c>). No result.
    /// </summary>
    Halt,
    /// <summary>A node deleted by a pass. Its operands and result are meaningless; skip it.</summary>
    Removed,
}

/// <summary>Extra facts about a node.</summary>
[Flags]
public enum IrNodeFlags : byte
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>
    /// The result was computed at compile time: the result value is now a constant and its users read that constant.
    /// The node stays only because it charges dynamic gas (EXP); an engine charges that gas and need not compute.
    /// </summary>
    ResultFolded = 1 << 0,
    /// <summary>The instruction reads the exact remaining gas (see <see cref="IrNode.GasCorrection"/>).</summary>
    ObservesGas = 1 << 1,
    /// <summary>The instruction charges dynamic gas.</summary>
    DynamicGas = 1 << 2,
}

/// <summary>One operation of the IR. Plain data stored in <see cref="IrFunction.Nodes"/>.</summary>
public readonly struct IrNode
{
    /// <summary>The kind (see <see cref="IrNodeKind"/> for each kind's fields).</summary>
    public IrNodeKind Kind { get; init; }
    /// <summary>The EVM opcode this node executes.</summary>
    public byte Opcode { get; init; }
    /// <summary>Extra facts.</summary>
    public IrNodeFlags Flags { get; init; }
    /// <summary>Offset of the instruction in the code.</summary>
    public int Pc { get; init; }
    /// <summary>The block (index in <see cref="IrFunction.Blocks"/>).</summary>
    public int Block { get; init; }
    /// <summary>The value id of the result, or -1 when the instruction pushes nothing.</summary>
    public int Result { get; init; }
    /// <summary>Index of the first operand in <see cref="IrFunction.Operands"/>.</summary>
    public int FirstOperand { get; init; }
    /// <summary>Number of operands (the opcode's stack inputs).</summary>
    public int OperandCount { get; init; }
    /// <summary>
    /// For nodes that observe gas or charge dynamic gas: the base gas of the rest of the block after this
    /// instruction, already charged on block entry but not yet due. The interpreter's remaining gas here is the
    /// block-level remaining gas plus this (docs/block-gas.md). Zero otherwise.
    /// </summary>
    public long GasCorrection { get; init; }
}
