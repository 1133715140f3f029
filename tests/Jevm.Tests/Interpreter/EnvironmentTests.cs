using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class EnvironmentTests
{
    private static UInt256 Eval(TestHost host, byte op, UInt256? arg = null)
    {
        var c = Code.New;
        if (arg is { } a) c.Push(a);
        return host.Run(c.Op(op).ReturnTop()).Word();
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Block_and_transaction_context(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun)
        {
            Context = new TxContext
            {
                Origin = Address.Parse("0x00000000000000000000000000000000000000aa"),
                Coinbase = Address.Parse("0x00000000000000000000000000000000000000bb"),
                GasPrice = 7, BlockNumber = 1000, Timestamp = 123456, BlockGasLimit = 30_000_000, PrevRandao = 0x5555,
                ChainId = 5, BaseFee = 9, BlobBaseFee = 11,
                BlobHashes = [new Hash256(new UInt256(0x01aa)), new Hash256(new UInt256(0x01bb))],
            },
        };
        host.WithBalance(TestHost.Contract, 1234);
        Assert.Equal(new UInt256(0xaa), Eval(host, ORIGIN));
        Assert.Equal(new UInt256(0xbb), Eval(host, COINBASE));
        Assert.Equal(new UInt256(7), Eval(host, GASPRICE));
        Assert.Equal(new UInt256(1000), Eval(host, NUMBER));
        Assert.Equal(new UInt256(123456), Eval(host, TIMESTAMP));
        Assert.Equal(new UInt256(30_000_000), Eval(host, GASLIMIT));
        Assert.Equal(new UInt256(0x5555), Eval(host, PREVRANDAO));
        Assert.Equal(new UInt256(5), Eval(host, CHAINID));
        Assert.Equal(new UInt256(9), Eval(host, BASEFEE));
        Assert.Equal(new UInt256(11), Eval(host, BLOBBASEFEE));
        Assert.Equal(new UInt256(1234), Eval(host, SELFBALANCE));
        Assert.Equal(TestHost.Contract.ToWord(), Eval(host, ADDRESS));
        Assert.Equal(TestHost.Caller.ToWord(), Eval(host, CALLER));
        Assert.Equal(new UInt256(0x01bb), Eval(host, BLOBHASH, 1));
        Assert.Equal(UInt256.Zero, Eval(host, BLOBHASH, 2));
        Assert.Equal(UInt256.Zero, Eval(host, BLOBHASH, UInt256.MaxValue));
        Assert.Equal(new UInt256(77), host.Run(Code.New.Op(CALLVALUE).ReturnTop(), value: 77).Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Blockhash_sees_only_the_256_most_recent_blocks(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun); // block 1000; the test host's hash of n is keccak256 of its decimal text
        UInt256 Hash(long n) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture))).Word;
        Assert.Equal(Hash(999), Eval(host, BLOCKHASH, 999));
        Assert.Equal(Hash(744), Eval(host, BLOCKHASH, 744));
        Assert.Equal(UInt256.Zero, Eval(host, BLOCKHASH, 743));
        Assert.Equal(UInt256.Zero, Eval(host, BLOCKHASH, 1000));
        Assert.Equal(UInt256.Zero, Eval(host, BLOCKHASH, 1001));
        Assert.Equal(UInt256.Zero, Eval(host, BLOCKHASH, UInt256.MaxValue));
        Assert.Equal(UInt256.Zero, Eval(host, BLOCKHASH, U("0x100000000000003e7"))); // 2^64 + 999
        Assert.Equal(3 + 20, host.Run(Code.New.Push(999).Op(BLOCKHASH).Op(STOP), gas: 100).Used(100));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Account_queries_and_their_cost_by_fork(EngineKind kind)
    {
        var other = Address.Parse("0x00000000000000000000000000000000000d0d0d");
        byte[] otherCode = [0x60, 0x01, 0x00];
        long Cost(Fork fork, byte op)
        {
            var host = new TestHost(kind, fork).WithCode(other, otherCode).WithBalance(other, 3);
            return host.Run(Code.New.Push(other).Op(op).Op(STOP), gas: 10_000).Used(10_000) - 3;
        }
        Assert.Equal(20, Cost(Fork.Frontier, BALANCE));
        Assert.Equal(400, Cost(Fork.TangerineWhistle, BALANCE));
        Assert.Equal(700, Cost(Fork.Istanbul, BALANCE));
        Assert.Equal(2600, Cost(Fork.Berlin, BALANCE));
        Assert.Equal(700, Cost(Fork.TangerineWhistle, EXTCODESIZE));
        Assert.Equal(2600, Cost(Fork.Cancun, EXTCODESIZE));
        Assert.Equal(400, Cost(Fork.Constantinople, EXTCODEHASH));
        Assert.Equal(700, Cost(Fork.Istanbul, EXTCODEHASH));
        Assert.Equal(2600, Cost(Fork.Cancun, EXTCODEHASH));

        var h = new TestHost(kind, Fork.Cancun).WithCode(other, otherCode).WithBalance(other, 3);
        Assert.Equal(new UInt256(3), Eval(h, BALANCE, other.ToWord()));
        Assert.Equal(new UInt256(3), Eval(h, EXTCODESIZE, other.ToWord()));
        Assert.Equal(Keccak256.Compute(otherCode).Word, Eval(h, EXTCODEHASH, other.ToWord()));
        Assert.Equal(UInt256.Zero, Eval(h, EXTCODEHASH, new UInt256(0x999999)));
        // Warm after the first access: 2600 then 100.
        var twice = h.Run(Code.New.Push(other).Op(BALANCE).Push(other).Op(BALANCE).Op(STOP), gas: 10_000);
        Assert.Equal(3 + 2600 + 3 + 100, twice.Used(10_000));
        // EXTCODECOPY: cold 2600 + 3 per word + memory; copies zero-padded.
        var copy = h.Run(Code.New.Args(other.ToWord(), 0, 1, 4).Op(EXTCODECOPY).Return(0, 4));
        Assert.Equal(new byte[] { 0x01, 0x00, 0, 0 }, copy.Output);
        var copyGas = h.Run(Code.New.Args(other.ToWord(), 0, 0, 4).Op(EXTCODECOPY).Op(STOP), gas: 10_000);
        Assert.Equal(12 + 2600 + 3 + 3, copyGas.Used(10_000));
    }
}
