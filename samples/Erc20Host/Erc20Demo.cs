using System.Reflection;
using Jevm;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;

namespace Erc20Host;

/// <summary>Token balances after the demo's transfers.</summary>
/// <param name="Engine">The engine that ran them.</param>
/// <param name="Balances">Holder name → token balance, in the order of <see cref="Erc20Demo.Holders"/>.</param>
/// <param name="TotalSupply">totalSupply() at the end.</param>
/// <param name="TransferEvents">Transfer events emitted by successful transactions (the mint included).</param>
/// <param name="RejectedTransfers">Transfers that reverted (more than the sender holds).</param>
public sealed record Erc20DemoResult(string Engine, IReadOnlyList<(string Name, UInt256 Balance)> Balances, UInt256 TotalSupply,
    int TransferEvents, int RejectedTransfers);

/// <summary>Deploys the solc-compiled ERC-20 (contract/Token.sol) and runs transfers on one engine.</summary>
public static class Erc20Demo
{
    /// <summary>The supply minted to the deployer.</summary>
    public const ulong Supply = 1_000_000;

    /// <summary>The token holders, by name.</summary>
    public static readonly string[] Holders = ["deployer", "alice", "bob", "carol"];

    /// <summary>The transfers (from, to, amount); the last one exceeds the sender's balance and must revert.</summary>
    public static readonly (string From, string To, ulong Amount)[] Transfers =
    [
        ("deployer", "alice", 1000),
        ("alice", "bob", 250),
        ("bob", "carol", 100),
        ("deployer", "bob", 5000),
        ("alice", "carol", 300),
        ("carol", "alice", 10_000), // carol holds 400: reverts
    ];

    private static Address AddressOf(string name) => Address.FromNumber(0x1000 + (ulong)Array.IndexOf(Holders, name));

    /// <summary>The contract's creation code (constructor + runtime) as compiled by contract/compile.sh.</summary>
    public static byte[] CreationCode()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Token.bin")
            ?? throw new InvalidOperationException("Token.bin is not embedded");
        using var reader = new StreamReader(stream);
        return Convert.FromHexString(reader.ReadToEnd().Trim());
    }

    /// <summary>Runs the demo on <paramref name="engine"/>; <paramref name="log"/> gets one line per step when given.</summary>
    public static Erc20DemoResult Run(EngineKind engine, TextWriter? log = null)
    {
        var evm = new EvmExecutor(new EvmOptions { Fork = Fork.Cancun, Engine = engine });
        var deployer = AddressOf("deployer");
        var host = new DictionaryHost(evm, new TxContext { Origin = deployer, GasPrice = 1, BlockGasLimit = 30_000_000, ChainId = 1 });

        // Deploy: creation code followed by the ABI-encoded constructor argument.
        var init = CreationCode().Concat(Word(Supply)).ToArray();
        host.BeginTransaction();
        var deploy = host.Call(new Message { Kind = CallKind.Create, Gas = 3_000_000, Sender = deployer, Input = init });
        if (!deploy.IsSuccess) throw new InvalidOperationException($"deployment failed: {deploy.Status}");
        var token = deploy.CreatedAddress;
        log?.WriteLine($"[{engine}] deployed at {token}, {3_000_000 - deploy.GasLeft} gas");

        int rejected = 0;
        foreach (var (from, to, amount) in Transfers)
        {
            var r = Transact(host, token, AddressOf(from), Selector("transfer(address,uint256)"), AddressOf(to).ToWord(), amount);
            bool ok = r.IsSuccess && r.Output.Length == 32 && r.Output[31] == 1;
            if (!ok) rejected++;
            log?.WriteLine($"[{engine}] transfer {amount,6} {from} -> {to}: {(ok ? "ok" : r.Status.ToString())}, {200_000 - r.GasLeft} gas");
        }

        var balances = new List<(string, UInt256)>();
        foreach (var holder in Holders)
            balances.Add((holder, ReadWord(Transact(host, token, deployer, Selector("balanceOf(address)"), AddressOf(holder).ToWord()))));
        var supply = ReadWord(Transact(host, token, deployer, Selector("totalSupply()")));
        int events = 0;
        var transferTopic = Keccak256.Compute("Transfer(address,address,uint256)"u8).Word;
        foreach (var l in host.Logs) if (l.Address == token && l.Topics.Length == 3 && l.Topics[0] == transferTopic) events++;
        return new Erc20DemoResult(engine.ToString().ToLowerInvariant(), balances, supply, events, rejected);
    }

    private static ExecutionResult Transact(DictionaryHost host, in Address token, in Address from, byte[] selector, params UInt256[] args)
    {
        var input = new byte[4 + 32 * args.Length];
        selector.CopyTo(input, 0);
        for (int i = 0; i < args.Length; i++) args[i].WriteBigEndian(input.AsSpan(4 + 32 * i, 32));
        host.BeginTransaction();
        host.AccessAccount(from);
        host.AccessAccount(token);
        return host.Call(new Message { Kind = CallKind.Call, Gas = 200_000, Sender = from, Recipient = token, CodeAddress = token, Input = input });
    }

    private static byte[] Selector(string signature) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(signature)).ToBytes()[..4];

    private static byte[] Word(ulong value) => new UInt256(value).ToBigEndianBytes();

    private static UInt256 ReadWord(in ExecutionResult r) =>
        r.IsSuccess && r.Output.Length == 32 ? UInt256.ReadBigEndian(r.Output) : throw new InvalidOperationException($"call failed: {r.Status}");
}
