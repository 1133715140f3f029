using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class StorageTests
{
    // (code, used gas, refund, original) from the EIPs' test-case tables.
    private static readonly (string Code, long Used, long Refund, int Original)[] s_eip1283 =
    [
        // EIP-1283 (Constantinople), as first published in EIP-2200 with SLOAD_GAS = 200.
        ("0x60006000556000600055", 412, 0, 0), ("0x60006000556001600055", 20212, 0, 0), ("0x60016000556000600055", 20212, 19800, 0),
        ("0x60016000556002600055", 20212, 0, 0), ("0x60016000556001600055", 20212, 0, 0), ("0x60006000556000600055", 5212, 15000, 1),
        ("0x60006000556001600055", 5212, 4800, 1), ("0x60006000556002600055", 5212, 0, 1), ("0x60026000556000600055", 5212, 15000, 1),
        ("0x60026000556003600055", 5212, 0, 1), ("0x60026000556001600055", 5212, 4800, 1), ("0x60026000556002600055", 5212, 0, 1),
        ("0x60016000556000600055", 5212, 15000, 1), ("0x60016000556002600055", 5212, 0, 1), ("0x60016000556001600055", 412, 0, 1),
        ("0x600160005560006000556001600055", 40218, 19800, 0), ("0x600060005560016000556000600055", 10218, 19800, 1),
    ];

    private static readonly (string Code, long Used, long Refund, int Original)[] s_eip2200 =
    [
        // EIP-2200 (Istanbul).
        ("0x60006000556000600055", 1612, 0, 0), ("0x60006000556001600055", 20812, 0, 0), ("0x60016000556000600055", 20812, 19200, 0),
        ("0x60016000556002600055", 20812, 0, 0), ("0x60016000556001600055", 20812, 0, 0), ("0x60006000556000600055", 5812, 15000, 1),
        ("0x60006000556001600055", 5812, 4200, 1), ("0x60006000556002600055", 5812, 0, 1), ("0x60026000556000600055", 5812, 15000, 1),
        ("0x60026000556003600055", 5812, 0, 1), ("0x60026000556001600055", 5812, 4200, 1), ("0x60026000556002600055", 5812, 0, 1),
        ("0x60016000556000600055", 5812, 15000, 1), ("0x60016000556002600055", 5812, 0, 1), ("0x60016000556001600055", 1612, 0, 1),
        ("0x600160005560006000556001600055", 40818, 19200, 0), ("0x600060005560016000556000600055", 10818, 19200, 1),
    ];

    private static readonly (string Code, long Used, long Refund, int Original)[] s_eip2929 =
    [
        // EIP-3529's "2929 gas costs" table (Berlin), slots already warm.
        ("0x60006000556000600055", 212, 0, 0), ("0x60006000556001600055", 20112, 0, 0), ("0x60016000556000600055", 20112, 19900, 0),
        ("0x60016000556002600055", 20112, 0, 0), ("0x60016000556001600055", 20112, 0, 0), ("0x60006000556000600055", 3012, 15000, 1),
        ("0x60006000556001600055", 3012, 2800, 1), ("0x60006000556002600055", 3012, 0, 1), ("0x60026000556000600055", 3012, 15000, 1),
        ("0x60026000556003600055", 3012, 0, 1), ("0x60026000556001600055", 3012, 2800, 1), ("0x60026000556002600055", 3012, 0, 1),
        ("0x60016000556000600055", 3012, 15000, 1), ("0x60016000556002600055", 3012, 0, 1), ("0x60016000556001600055", 212, 0, 1),
        ("0x600160005560006000556001600055", 40118, 19900, 0), ("0x600060005560016000556000600055", 5918, 17800, 1),
    ];

    private static readonly (string Code, long Used, long Refund, int Original)[] s_eip3529 =
    [
        // EIP-3529's "with reduced refunds" table (London), slots already warm.
        ("0x60006000556000600055", 212, 0, 0), ("0x60006000556001600055", 20112, 0, 0), ("0x60016000556000600055", 20112, 19900, 0),
        ("0x60016000556002600055", 20112, 0, 0), ("0x60016000556001600055", 20112, 0, 0), ("0x60006000556000600055", 3012, 4800, 1),
        ("0x60006000556001600055", 3012, 2800, 1), ("0x60006000556002600055", 3012, 0, 1), ("0x60026000556000600055", 3012, 4800, 1),
        ("0x60026000556003600055", 3012, 0, 1), ("0x60026000556001600055", 3012, 2800, 1), ("0x60026000556002600055", 3012, 0, 1),
        ("0x60016000556000600055", 3012, 4800, 1), ("0x60016000556002600055", 3012, 0, 1), ("0x60016000556001600055", 212, 0, 1),
        ("0x600160005560006000556001600055", 40118, 19900, 0), ("0x600060005560016000556000600055", 5918, 7600, 1),
    ];

    public static TheoryData<EngineKind, Fork, string, long, long, int> SstoreCases()
    {
        var data = new TheoryData<EngineKind, Fork, string, long, long, int>();
        foreach (var kind in TestEngines.All)
        {
            foreach (var c in s_eip1283) data.Add(kind, Fork.Constantinople, c.Code, c.Used, c.Refund, c.Original);
            foreach (var fork in new[] { Fork.Istanbul })
                foreach (var c in s_eip2200) data.Add(kind, fork, c.Code, c.Used, c.Refund, c.Original);
            foreach (var c in s_eip2929) data.Add(kind, Fork.Berlin, c.Code, c.Used, c.Refund, c.Original);
            foreach (var fork in new[] { Fork.London, Fork.Paris, Fork.Shanghai, Fork.Cancun, Fork.Prague, Fork.Osaka })
                foreach (var c in s_eip3529) data.Add(kind, fork, c.Code, c.Used, c.Refund, c.Original);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SstoreCases))]
    public void Sstore_gas_and_refund_match_the_EIP_tables(EngineKind kind, Fork fork, string code, long used, long refund, int original)
    {
        var host = new TestHost(kind, fork).WithStorage(TestHost.Contract, 0, (ulong)original);
        host.BeginTransaction();
        host.WarmSlot(TestHost.Contract, 0);
        var r = host.Run(Convert.FromHexString(code[2..]), gas: 100_000, beginTransaction: false);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(used, r.Used(100_000));
        Assert.Equal(refund, r.GasRefund);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Sstore_cold_slot_adds_2100_from_Berlin(EngineKind kind)
    {
        // 0 → 1 on a cold slot: 2100 + 20000 (EIP-2929), plus two pushes.
        var r = Run(kind, Fork.Berlin, Code.New.SStore(0, 1), gas: 100_000);
        Assert.Equal(6 + 2100 + 20000, r.Used(100_000));
        // Non-zero → other non-zero, cold: 2100 + 2900.
        var host = new TestHost(kind, Fork.London).WithStorage(TestHost.Contract, 5, 1);
        Assert.Equal(6 + 2100 + 2900, host.Run(Code.New.SStore(5, 2), gas: 100_000).Used(100_000));
    }

    public static TheoryData<EngineKind, Fork> LegacySstoreForks()
    {
        var data = new TheoryData<EngineKind, Fork>();
        foreach (var kind in TestEngines.All)
            foreach (var fork in new[] { Fork.Frontier, Fork.Homestead, Fork.TangerineWhistle, Fork.SpuriousDragon, Fork.Byzantium, Fork.Petersburg })
                data.Add(kind, fork);
        return data;
    }

    [Theory]
    [MemberData(nameof(LegacySstoreForks))]
    public void Sstore_before_net_metering_and_in_Petersburg(EngineKind kind, Fork fork)
    {
        // Yellow Paper: 20000 to set a zero slot, 5000 otherwise, 15000 refund for clearing; no net metering.
        var host = new TestHost(kind, fork).WithStorage(TestHost.Contract, 1, 7);
        Assert.Equal(6 + 20000, host.Run(Code.New.SStore(0, 1), gas: 100_000).Used(100_000));
        var clear = host.Run(Code.New.SStore(1, 0), gas: 100_000);
        Assert.Equal(6 + 5000, clear.Used(100_000));
        Assert.Equal(15000, clear.GasRefund);
        var twice = new TestHost(kind, fork).Run(Code.New.SStore(0, 1).SStore(0, 0), gas: 100_000);
        Assert.Equal(12 + 20000 + 5000, twice.Used(100_000));
        Assert.Equal(15000, twice.GasRefund);
        var noop = new TestHost(kind, fork).Run(Code.New.SStore(0, 0), gas: 100_000);
        Assert.Equal(6 + 5000, noop.Used(100_000));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Sstore_2300_sentry_from_Istanbul(EngineKind kind)
    {
        // Original 1, storing 1 (a no-op costing 800): two pushes leave 2300 with 2306 gas → out of gas (EIP-2200).
        var host = new TestHost(kind, Fork.Istanbul).WithStorage(TestHost.Contract, 0, 1);
        byte[] code = Convert.FromHexString("6001600055");
        var r = host.Run(code, gas: 2306);
        Assert.Equal(StatusCode.OutOfGas, r.Status);
        var ok = host.Run(code, gas: 2307);
        Assert.Equal(StatusCode.Success, ok.Status);
        Assert.Equal(806, ok.Used(2307));
        // Constantinople (EIP-1283) had no sentry: the 200-gas no-op works with 206 gas.
        var c = new TestHost(kind, Fork.Constantinople).WithStorage(TestHost.Contract, 0, 1).Run(code, gas: 206);
        Assert.Equal(StatusCode.Success, c.Status);
        Assert.Equal(0, c.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Sload_cost_by_fork(EngineKind kind)
    {
        long Cost(Fork fork) => Run(kind, fork, Code.New.Push(0).Op(SLOAD).Op(STOP), gas: 10_000).Used(10_000) - 3;
        Assert.Equal(50, Cost(Fork.Frontier));
        Assert.Equal(200, Cost(Fork.TangerineWhistle));
        Assert.Equal(800, Cost(Fork.Istanbul));
        Assert.Equal(2100, Cost(Fork.Berlin)); // cold
        var warm = Run(kind, Fork.Berlin, Code.New.Push(0).Op(SLOAD).Push(0).Op(SLOAD).Op(STOP), gas: 10_000);
        Assert.Equal(3 + 2100 + 3 + 100, warm.Used(10_000));
        var value = new TestHost(kind, Fork.Cancun).WithStorage(TestHost.Contract, 9, 0x1234).Run(Code.New.Push(9).Op(SLOAD).ReturnTop());
        Assert.Equal(new UInt256(0x1234), value.Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Transient_storage_eip1153(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun);
        // TSTORE then TLOAD in the same transaction: 100 each, no memory, no refund.
        var r = host.Run(Code.New.Args(1, 0x42).Op(TSTORE).Push(1).Op(TLOAD).ReturnTop());
        Assert.Equal(new UInt256(0x42), r.Word());
        var gas = host.Run(Code.New.Args(1, 0x42).Op(TSTORE).Push(1).Op(TLOAD).Op(STOP), gas: 1000);
        Assert.Equal(3 + 3 + 100 + 3 + 100, gas.Used(1000));
        Assert.Equal(0, gas.GasRefund);
        // Unset slots read zero; a new transaction starts empty.
        Assert.Equal(UInt256.Zero, host.Run(Code.New.Push(1).Op(TLOAD).ReturnTop()).Word());
        // TSTORE is a state change: forbidden in a static context; TLOAD is allowed.
        Assert.Equal(StatusCode.StaticModeViolation, host.Run(Code.New.Args(1, 1).Op(TSTORE), isStatic: true).Status);
        Assert.Equal(StatusCode.Success, host.Run(Code.New.Push(1).Op(TLOAD).ReturnTop(), isStatic: true).Status);
        // Persistent storage is untouched.
        Assert.Equal(UInt256.Zero, host.Storage(TestHost.Contract, 1));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Logs_carry_data_and_topics_in_order(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun);
        // LOG2(offset 0, size 3, topic0 = 0xaa, topic1 = 0xbb) after storing 0x010203 at memory 0..2.
        var code = Code.New.MStore(0, U("0x0102030000000000000000000000000000000000000000000000000000000000")).Args(0, 3, 0xaa, 0xbb).Op(0xa2).Op(STOP);
        var r = host.Run(code, gas: 10_000);
        Assert.Equal(StatusCode.Success, r.Status);
        var log = Assert.Single(host.Logs);
        Assert.Equal(TestHost.Contract, log.Address);
        Assert.Equal(new byte[] { 1, 2, 3 }, log.Data);
        Assert.Equal(new UInt256[] { 0xaa, 0xbb }, log.Topics);
        // Gas: 375 + 2 × 375 + 8 × 3 bytes (+ pushes, MSTORE and one word of memory).
        Assert.Equal(6 + 3 + 3 + 12 + 375 + 750 + 24, r.Used(10_000));
        Assert.Equal(StatusCode.StaticModeViolation, host.Run(Code.New.Args(0, 0).Op(0xa0), isStatic: true).Status);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Sstore_in_static_context_fails(EngineKind kind)
    {
        var r = Run(kind, Fork.Cancun, Code.New.SStore(0, 1), isStatic: true);
        Assert.Equal(StatusCode.StaticModeViolation, r.Status);
        Assert.Equal(0, r.GasLeft);
    }

    private static readonly Address s_beneficiary = Address.Parse("0x00000000000000000000000000000000000beef1");

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Selfdestruct_gas_and_refund_by_fork(EngineKind kind)
    {
        byte[] code = Code.New.Push(s_beneficiary).Op(SELFDESTRUCT);
        long Used(Fork fork, UInt256 balance, bool beneficiaryExists, out ExecutionResult r)
        {
            var host = new TestHost(kind, fork).WithBalance(TestHost.Contract, balance);
            if (beneficiaryExists) host.WithBalance(s_beneficiary, 1);
            r = host.Run(code, gas: 100_000);
            Assert.Equal(StatusCode.Success, r.Status);
            Assert.True(host.IsDestructed(TestHost.Contract));
            return r.Used(100_000);
        }

        // Frontier/Homestead: free, 24000 refund.
        Assert.Equal(3, Used(Fork.Frontier, 0, false, out var f));
        Assert.Equal(24000, f.GasRefund);
        // EIP-150: 5000, plus 25000 for a beneficiary that does not exist.
        Assert.Equal(3 + 5000 + 25000, Used(Fork.TangerineWhistle, 0, false, out _));
        Assert.Equal(3 + 5000, Used(Fork.TangerineWhistle, 0, true, out _));
        // EIP-161: the 25000 only when value goes to an empty account.
        Assert.Equal(3 + 5000, Used(Fork.SpuriousDragon, 0, false, out _));
        Assert.Equal(3 + 5000 + 25000, Used(Fork.SpuriousDragon, 10, false, out _));
        Assert.Equal(3 + 5000, Used(Fork.SpuriousDragon, 10, true, out var sd));
        Assert.Equal(24000, sd.GasRefund);
        // EIP-2929: cold beneficiary + 2600.
        Assert.Equal(3 + 5000 + 2600, Used(Fork.Berlin, 0, true, out var b));
        Assert.Equal(24000, b.GasRefund);
        // EIP-3529: no refund from London.
        Assert.Equal(3 + 5000 + 2600 + 25000, Used(Fork.London, 1, false, out var l));
        Assert.Equal(0, l.GasRefund);

        // The balance moves to the beneficiary.
        var h = new TestHost(kind, Fork.Cancun).WithBalance(TestHost.Contract, 77);
        h.Run(code);
        Assert.Equal(new UInt256(77), h.GetBalance(s_beneficiary));
        Assert.Equal(StatusCode.StaticModeViolation, new TestHost(kind, Fork.Cancun).Run(code, isStatic: true).Status);
    }
}
