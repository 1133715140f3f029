using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Support;

/// <summary>
/// A bytecode builder for tests: <c>Code.New.Push(1).Push(2).Op(ADD).Build()</c>. Pushes use the shortest PUSHn.
/// </summary>
public sealed class Code
{
    private readonly List<byte> _bytes = new();

    public static Code New => new();

    public int Length => _bytes.Count;

    public Code Op(params byte[] ops) { _bytes.AddRange(ops); return this; }

    public Code Raw(params byte[] bytes) { _bytes.AddRange(bytes); return this; }

    public Code Raw(string hex) { _bytes.AddRange(Convert.FromHexString(hex.StartsWith("0x") ? hex[2..] : hex)); return this; }

    public Code Push(UInt256 value)
    {
        int n = Math.Max(1, UInt256.ByteLength(value));
        return PushN(n, value);
    }

    public Code Push(int value) => Push(new UInt256(checked((ulong)value)));

    public Code Push(Address address) => PushN(20, address.ToWord());

    /// <summary>PUSHn with exactly <paramref name="n"/> bytes (the low n bytes of the value).</summary>
    public Code PushN(int n, UInt256 value)
    {
        var word = value.ToBigEndianBytes();
        _bytes.Add((byte)(PUSH1 + n - 1));
        _bytes.AddRange(word.AsSpan(32 - n).ToArray());
        return this;
    }

    public Code Push0() => Op(PUSH0);

    /// <summary>Pushes the arguments in reverse so the first ends on top (the order opcodes list their inputs).</summary>
    public Code Args(params UInt256[] args)
    {
        for (int i = args.Length - 1; i >= 0; i--) Push(args[i]);
        return this;
    }

    public Code MStore(int offset, UInt256 value) => MStore(new UInt256((ulong)offset), value);

    public Code MStore(UInt256 offset, UInt256 value) => Args(offset, value).Op(MSTORE);

    public Code SStore(UInt256 key, UInt256 value) => Args(key, value).Op(SSTORE);

    public Code Return(UInt256 offset, UInt256 size) => Args(offset, size).Op(RETURN);

    /// <summary>Stores the top of the stack at memory 0 and returns those 32 bytes.</summary>
    public Code ReturnTop() => Push(0).Op(MSTORE).Return(0, 32);

    public Code Call(byte op, UInt256 gas, Address target, UInt256 value, UInt256 inOffset, UInt256 inSize, UInt256 outOffset, UInt256 outSize)
    {
        Push(outSize).Push(outOffset).Push(inSize).Push(inOffset);
        if (op == CALL || op == CALLCODE) Push(value);
        return Push(target).Push(gas).Op(op);
    }

    public byte[] Build() => _bytes.ToArray();

    public static implicit operator byte[](Code c) => c.Build();

    public override string ToString() => Convert.ToHexStringLower(_bytes.ToArray());
}
