using Jevm.Cli.Bench;
using Jevm.Numerics;

namespace Jevm.Tests.Bench;

public class AsmTests
{
    [Fact]
    public void Pushes_use_the_narrowest_width()
    {
        // PUSH1 = 0x60 … PUSH32 = 0x7f (Yellow Paper, appendix H).
        Assert.Equal(new byte[] { 0x60, 0x00 }, new Asm().Push(0).Build());
        Assert.Equal(new byte[] { 0x60, 0xff }, new Asm().Push(0xff).Build());
        Assert.Equal(new byte[] { 0x61, 0x01, 0x00 }, new Asm().Push(0x100).Build());
        Assert.Equal(new byte[] { 0x67, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, new Asm().Push(ulong.MaxValue).Build());
        var max = new Asm().Push(UInt256.MaxValue).Build();
        Assert.Equal(33, max.Length);
        Assert.Equal(0x7f, max[0]);
        Assert.All(max[1..], b => Assert.Equal(0xff, b));
    }

    [Fact]
    public void Labels_resolve_forward_and_backward()
    {
        // 0: JUMPDEST; 1: PUSH2 0x0008; 4: JUMP; 5: PUSH2 0x0000; 8: JUMPDEST (label "end" at 8); 9: STOP
        var code = new Asm().Label("top").Jump("end").PushLabel("top").Label("end").Op("STOP").Build();
        Assert.Equal(new byte[] { 0x5b, 0x61, 0x00, 0x08, 0x56, 0x61, 0x00, 0x00, 0x5b, 0x00 }, code);
    }

    [Fact]
    public void Mnemonics_come_from_the_opcode_table()
    {
        Assert.Equal(new byte[] { 0x80, 0x51, 0x01, 0x20, 0x5e, 0xf3 }, new Asm().Op("DUP1 MLOAD add KECCAK256 MCOPY RETURN").Build());
        Assert.Equal(new byte[] { 0x20 }, new Asm().Op("SHA3").Build());
    }

    [Fact]
    public void Mistakes_are_reported()
    {
        Assert.Throws<ArgumentException>(() => new Asm().Op("FROB"));
        Assert.Throws<ArgumentException>(() => new Asm().Op(0x60)); // PUSH1 needs its immediate
        Assert.Throws<InvalidOperationException>(() => new Asm().Jump("nowhere").Build());
        Assert.Throws<ArgumentException>(() => new Asm().Label("x").Label("x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Asm().PushBytes([]));
    }
}
