using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Cli.Fuzzing;

/// <summary>How large and of which kind the generated cases are.</summary>
public sealed record CaseOptions
{
    /// <summary>Only this fork (null: a fork drawn per case, weighted to recent ones).</summary>
    public Fork? Fork { get; init; }

    /// <summary>Most pieces of the transaction's target program (callees get about half).</summary>
    public int MaxPieces { get; init; } = 14;

    /// <summary>Percent of cases whose target is random bytes rather than a structured program.</summary>
    public int RawPercent { get; init; } = 8;

    /// <summary>Percent of cases that are contract creations (the program is the init code).</summary>
    public int CreatePercent { get; init; } = 12;

    /// <summary>
    /// Cases that share their programs: case i runs the programs of family i / Reuse with its own pre-state balances,
    /// storage and transaction (value, data, gas limit, type). Above 1 this amortises JIT compilation over many cases
    /// (a cheaper mode: fewer distinct programs, more inputs per program).
    /// </summary>
    public int Reuse { get; init; } = 1;

    /// <summary>The defaults.</summary>
    public static CaseOptions Default { get; } = new();
}

/// <summary>Generates the case (seed, index): a random pre-state of up to four contracts and a transaction around them.</summary>
public static class CaseGenerator
{
    /// <summary>The contracts' addresses: the target first.</summary>
    public static readonly Address[] ContractAddresses =
    [
        Address.Parse("0x00000000000000000000000000000000000c0de0"),
        Address.Parse("0x00000000000000000000000000000000000c0de1"),
        Address.Parse("0x00000000000000000000000000000000000c0de2"),
        Address.Parse("0x00000000000000000000000000000000000c0de3"),
    ];

    /// <summary>An address nothing lives at.</summary>
    public static readonly Address Empty = Address.Parse("0x000000000000000000000000000000000000dead");

    private static readonly Fork[] s_forks =
    [
        Fork.Frontier, Fork.Homestead, Fork.TangerineWhistle, Fork.SpuriousDragon, Fork.Byzantium, Fork.Constantinople,
        Fork.Petersburg, Fork.Istanbul, Fork.Berlin, Fork.London, Fork.Paris, Fork.Shanghai,
        Fork.Cancun, Fork.Cancun, Fork.Cancun, Fork.Prague, Fork.Prague, Fork.Prague, Fork.Osaka, Fork.Osaka, Fork.Osaka,
    ];

    /// <summary>The case of (<paramref name="seed"/>, <paramref name="index"/>): the same on every run and machine.</summary>
    public static FuzzCase Generate(ulong seed, long index, CaseOptions? options = null)
    {
        options ??= CaseOptions.Default;
        var r = FuzzRandom.ForCase(seed, index);
        // The programs' generator: the case's own, or its family's when programs are reused.
        var pr = options.Reuse > 1 ? FuzzRandom.ForCase(seed ^ 0x5DEECE66DUL, index / options.Reuse) : r;
        var fork = options.Fork ?? s_forks[pr.Next(s_forks.Length)];
        int contracts = 1 + pr.Next(4);

        var targets = new List<Address>();
        for (int i = 0; i < contracts; i++) targets.Add(ContractAddresses[i]);
        targets.Add(ContractAddresses[0]); // calls back into the target are common in real code
        foreach (var p in PrecompileRegistry.Addresses(fork)) if (pr.Chance(40)) targets.Add(p);
        targets.Add(Empty);
        targets.Add(FuzzCase.Sender);
        if (pr.Chance(30)) targets.Add(ContractAddresses[3]); // may not exist
        var targetArray = targets.ToArray();

        bool create = pr.Chance(options.CreatePercent);
        var accounts = new List<FuzzAccount>(contracts);
        for (int i = 0; i < contracts; i++)
        {
            var builder = new ProgramBuilder(pr, fork, targetArray);
            FuzzProgram code;
            if (pr.Chance(options.RawPercent)) code = builder.BuildRaw(i == 0 ? 200 : 60);
            else code = builder.Build(i == 0 ? 1 + pr.Next(options.MaxPieces) : 1 + pr.Next(Math.Max(1, options.MaxPieces / 2)));
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (r.Chance(50))
                for (int k = 0; k < 4; k++)
                    if (r.Chance(50)) storage.Add(new(new UInt256((ulong)k), new UInt256((ulong)r.Next(1, 4))));
            UInt256 balance = r.Next(4) switch { 0 => UInt256.Zero, 1 => UInt256.One, 2 => new UInt256(1_000_000), _ => new UInt256(1_000_000_000_000_000_000) };
            accounts.Add(new FuzzAccount(ContractAddresses[i], code, balance, (ulong)r.Next(2), storage));
        }

        FuzzProgram? init = create ? new ProgramBuilder(pr, fork, targetArray).Build(1 + pr.Next(options.MaxPieces)) : null;
        int type = fork >= Fork.London ? r.Next(3) : fork >= Fork.Berlin ? r.Next(2) : 0;
        var accessList = new List<AccessListEntry>();
        if (type >= 1 && r.Chance(40))
        {
            var keys = new List<UInt256>();
            for (int k = 0; k < r.Next(3); k++) keys.Add(new UInt256((ulong)r.Next(4)));
            accessList.Add(new AccessListEntry(r.Pick(ContractAddresses), keys.ToArray()));
        }
        UInt256 value = r.Next(10) switch { < 6 => UInt256.Zero, < 8 => UInt256.One, _ => new UInt256((ulong)r.Next(1, 1_000_000)) };
        var data = new byte[r.Chance(30) ? 0 : r.Next(1, 70)];
        r.NextBytes(data);
        for (int i = 0; i < data.Length; i++) if (r.Chance(30)) data[i] = 0;

        var tx = new FuzzTransaction(init, type, value, 0, data, accessList);
        var c = new FuzzCase(seed, index, fork, accounts, tx);
        return c with { Transaction = tx with { GasLimit = ChooseGasLimit(r, c) } };
    }

    /// <summary>Mostly ample gas, sometimes barely above the intrinsic cost so that execution runs out early.</summary>
    private static long ChooseGasLimit(FuzzRandom r, FuzzCase c)
    {
        var t = c.BuildTransaction();
        int keys = 0;
        foreach (var e in t.AccessList) keys += e.StorageKeys.Length;
        long intrinsic = TransactionProcessor.IntrinsicGas(c.Fork, t.Data, t.IsCreate, t.AccessList.Length, keys);
        if (c.Fork >= Fork.Prague) intrinsic = Math.Max(intrinsic, TransactionProcessor.CalldataFloorGas(t.Data));
        return r.Next(10) switch
        {
            < 2 => intrinsic + r.Next(0, 3000),
            < 4 => intrinsic + r.Next(3000, 60_000),
            < 8 => intrinsic + 1_000_000,
            _ => intrinsic + r.Next(1_000_000, 8_000_000),
        };
    }
}
