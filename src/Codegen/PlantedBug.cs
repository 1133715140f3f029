using Jevm.Evm;

namespace Jevm.Codegen;

/// <summary>
/// Deliberate JIT bugs for the differential fuzzer's self-test (issue #7), read once from the environment variable
/// <c>JEVM_PLANT_BUG</c>; unset (the normal case) plants nothing. Only the JIT's emitter reads it, never the
/// interpreter, so a fuzzer comparing the two engines must find the divergence.
/// <list type="bullet">
/// <item><c>gas:OPNAME</c> (e.g. <c>gas:MUL</c>): every occurrence of that opcode in compiled code costs one unit of
/// gas less than it should.</item>
/// <item><c>sar</c>: SAR of a negative value shifts in zeros (a logical shift) instead of copies of the sign bit.</item>
/// </list>
/// Read once per process: set it before the first compilation (compiled code is cached).
/// </summary>
internal static class PlantedBug
{
    /// <summary>The name of the environment variable.</summary>
    public const string Variable = "JEVM_PLANT_BUG";

    /// <summary>The opcode undercharged by one gas unit per occurrence, or -1.</summary>
    public static int UnderchargedOpcode { get; }

    /// <summary>True when SAR is compiled as a logical shift.</summary>
    public static bool LogicalSar { get; }

    static PlantedBug()
    {
        (UnderchargedOpcode, LogicalSar) = Parse(Environment.GetEnvironmentVariable(Variable));
    }

    /// <summary>Parses a <c>JEVM_PLANT_BUG</c> value; unknown values plant nothing.</summary>
    internal static (int Opcode, bool LogicalSar) Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return (-1, false);
        value = value.Trim();
        if (value.Equals("sar", StringComparison.OrdinalIgnoreCase)) return (-1, true);
        if (value.StartsWith("gas:", StringComparison.OrdinalIgnoreCase))
        {
            string name = value[4..].Trim();
            foreach (var info in OpcodeTable.All)
                if (info.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return (info.Code, false);
        }
        return (-1, false);
    }
}
