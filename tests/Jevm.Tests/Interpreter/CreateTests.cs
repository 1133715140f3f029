using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class CreateTests
{
    // EIP-1014's examples whose init code runs to success (0x00 = STOP, or empty): sender, salt, init code, address.
    public static TheoryData<EngineKind, string, string, string, string> Create2Examples()
    {
        var data = new TheoryData<EngineKind, string, string, string, string>();
        foreach (var kind in TestEngines.All)
        {
            data.Add(kind, "0x0000000000000000000000000000000000000000", "0x00", "00", "0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38");
            data.Add(kind, "0xdeadbeef00000000000000000000000000000000", "0x00", "00", "0xB928f69Bb1D91Cd65274e3c79d8986362984fDA3");
            data.Add(kind, "0xdeadbeef00000000000000000000000000000000", "0x000000000000000000000000feed000000000000000000000000000000000000", "00", "0xD04116cDd17beBE565EB2422F2497E06cC1C9833");
            data.Add(kind, "0x0000000000000000000000000000000000000000", "0x00", "", "0xE33C0C7F7df4809055C3ebA6c09CFe4BaF1BD9e0");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Create2Examples))]
    public void Create2_produces_the_EIP_1014_addresses_and_gas(EngineKind kind, string sender, string salt, string initCode, string expected)
    {
        // Constantinople (no EIP-3860 word charge): init code placed at memory 0 by one MSTORE of its bytes.
        var init = Convert.FromHexString(initCode);
        var word = new byte[32];
        init.CopyTo(word, 0);
        var code = Code.New.MStore(0, UInt256.ReadBigEndian(word)).PushN(32, U(salt)).Push(init.Length).Push(0).Push(0).Op(CREATE2).ReturnTop();
        var host = new TestHost(kind, Fork.Constantinople);
        var self = Address.Parse(sender);
        host.WithCode(self, code);
        host.BeginTransaction();
        var r = host.Call(new Message { Kind = CallKind.Call, Gas = 1_000_000, Recipient = self, CodeAddress = self, Sender = TestHost.Caller });
        Assert.Equal(Address.Parse(expected).ToWord(), r.Word());

        // Gas of the CREATE2 itself per EIP-1014: 32000 + 6 per word hashed (the child's STOP costs nothing).
        var gasOnly = Code.New.MStore(0, UInt256.ReadBigEndian(word)).PushN(32, U(salt)).Push(init.Length).Push(0).Push(0).Op(CREATE2).Op(STOP);
        host = new TestHost(kind, Fork.Constantinople).WithCode(self, gasOnly); // fresh: the address above is now taken
        host.BeginTransaction();
        var g = host.Call(new Message { Kind = CallKind.Call, Gas = 1_000_000, Recipient = self, CodeAddress = self, Sender = TestHost.Caller });
        long create2 = init.Length == 0 ? 32000 : 32006;
        Assert.Equal(3 + 3 + 3 + 3 /* MSTORE + memory */ + 4 * 3 + create2, 1_000_000 - g.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Create_deploys_returned_code_at_the_sender_nonce_address(EngineKind kind)
    {
        // Init code: return the single byte 0x42 (PUSH1 0x42 PUSH0 MSTORE8 PUSH1 1 PUSH0 RETURN).
        byte[] init = Code.New.Push(0x42).Op(PUSH0).Op(MSTORE8).Push(1).Op(PUSH0).Op(RETURN);
        var word = new byte[32];
        init.CopyTo(word, 0);
        var host = new TestHost(kind, Fork.Cancun);
        host.Account(TestHost.Contract).Nonce = 1;
        var r = host.Run(Code.New.MStore(0, UInt256.ReadBigEndian(word)).Args(0, 0, (ulong)init.Length).Op(CREATE).ReturnTop());
        var expected = TestHost.CreateAddress(TestHost.Contract, 1);
        Assert.Equal(expected.ToWord(), r.Word());
        Assert.Equal(new byte[] { 0x42 }, host.GetCode(expected).ToArray());
        var child = host.Calls.Single();
        Assert.Equal(CallKind.Create, child.Kind);
        Assert.Equal(TestHost.Contract, child.Sender);
        Assert.Equal(init, child.Input.ToArray());
    }

    [Fact]
    public void Test_host_create_addresses_match_known_vectors()
    {
        // keccak256(rlp([sender, nonce]))[12..] for a well-known sender, nonces 0–3, and EIP-1014's failing-init examples.
        var sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        Assert.Equal(Address.Parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"), TestHost.CreateAddress(sender, 0));
        Assert.Equal(Address.Parse("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"), TestHost.CreateAddress(sender, 1));
        Assert.Equal(Address.Parse("0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91"), TestHost.CreateAddress(sender, 2));
        Assert.Equal(Address.Parse("0xfffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c"), TestHost.CreateAddress(sender, 3));
        Assert.Equal(Address.Parse("0x70f2b2914A2a4b783FaEFb75f459A580616Fcb5e"), TestHost.Create2Address(Address.Zero, 0, Convert.FromHexString("deadbeef")));
        Assert.Equal(Address.Parse("0x60f3f640a8508fC6a86d45DF051962668E1e8AC7"), TestHost.Create2Address(Address.Parse("0x00000000000000000000000000000000deadbeef"), 0xcafebabe, Convert.FromHexString("deadbeef")));
        Assert.Equal(Address.Parse("0x1d8bfDC5D46DC4f61D6b6115972536eBE6A8854C"), TestHost.Create2Address(Address.Parse("0x00000000000000000000000000000000deadbeef"), 0xcafebabe,
            Convert.FromHexString("deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef")));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Init_code_words_and_size_limit_from_Shanghai(EngineKind kind)
    {
        // EIP-3860: 2 gas per init-code word; more than 49152 bytes is an exceptional halt of the creating frame.
        long Used(Fork fork, ulong size, out ExecutionResult r)
        {
            r = Run(kind, fork, Code.New.Args(0, 0, size).Op(CREATE).Op(STOP), gas: 10_000_000);
            return r.Used(10_000_000);
        }
        long mem(long words) => 3 * words + words * words / 512;
        // 64 zero bytes of init code = 64 STOPs: runs STOP, deploys nothing.
        Assert.Equal(9 + 32000 + mem(2), Used(Fork.Paris, 64, out _));
        Assert.Equal(9 + 32000 + mem(2) + 2 * 2, Used(Fork.Shanghai, 64, out _));
        Assert.Equal(9 + 32000 + mem(1536) + 2 * 1536, Used(Fork.Shanghai, 49152, out var ok));
        Assert.Equal(StatusCode.Success, ok.Status);
        Used(Fork.Shanghai, 49153, out var tooBig);
        Assert.Equal(StatusCode.OutOfGas, tooBig.Status);
        Assert.Equal(0, tooBig.GasLeft);
        Assert.Equal(StatusCode.Success, Run(kind, Fork.Paris, Code.New.Args(0, 0, 49153).Op(CREATE).Op(STOP), gas: 10_000_000).Status);
        // CREATE2 also hashes: 6 per word.
        var c2 = Run(kind, Fork.Shanghai, Code.New.Args(0, 0, 64, 0).Op(CREATE2).Op(STOP), gas: 10_000_000);
        Assert.Equal(12 + 32000 + mem(2) + 2 * 2 + 6 * 2, c2.Used(10_000_000));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Create_passes_all_but_one_64th_and_reverted_output_is_return_data(EngineKind kind)
    {
        // Init code: REVERT with 2 bytes of output.
        byte[] init = Code.New.MStore(0, 0xbeef).Args(30, 2).Op(REVERT);
        var word = new byte[32];
        init.CopyTo(word, 0);
        var host = new TestHost(kind, Fork.Cancun);
        var code = Code.New.MStore(0, UInt256.ReadBigEndian(word)).Args(0, 0, (ulong)init.Length).Op(CREATE)
            .Op(RETURNDATASIZE).Op(ADD).ReturnTop();
        var r = host.Run(code, gas: 1_000_000);
        Assert.Equal(new UInt256(2), r.Word()); // address 0 + 2 bytes of return data
        // Before the init code runs: 2 pushes + MSTORE + 1 word = 12, 3 pushes = 9, CREATE 32000, one init-code word 2.
        long left = 1_000_000 - 12 - 9 - 32000 - 2;
        Assert.Equal(left - left / 64, host.Calls.Single().Gas);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Create_with_value_above_balance_or_at_depth_1024_pushes_zero(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun).WithBalance(TestHost.Contract, 1);
        var r = host.Run(Code.New.Args(2, 0, 0).Op(CREATE).ReturnTop(), gas: 100_000);
        Assert.Equal(UInt256.Zero, r.Word());
        Assert.Empty(host.Calls);
        // No gas beyond CREATE's 32000 is used: the gas set aside for the init code comes back.
        Assert.Equal(9 + 32000 + 15, r.Used(100_000));
        var deep = host.Run(Code.New.Args(0, 0, 0).Op(CREATE).ReturnTop(), gas: 100_000, depth: 1024);
        Assert.Equal(UInt256.Zero, deep.Word());
        Assert.Empty(host.Calls);
    }
}
