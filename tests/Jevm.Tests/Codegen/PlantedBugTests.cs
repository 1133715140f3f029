using Jevm.Codegen;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Codegen;

/// <summary>The JEVM_PLANT_BUG values the fuzzer's self-test sets (the bug itself shows only in a process that sets it).</summary>
public class PlantedBugTests
{
    [Theory]
    [InlineData("gas:MUL", MUL)]
    [InlineData("gas:mul", MUL)]
    [InlineData(" gas:SSTORE ", SSTORE)]
    [InlineData("gas:PUSH1", PUSH1)]
    public void Gas_names_an_opcode_by_its_mnemonic(string value, byte expected)
    {
        Assert.Equal(((int)expected, false), PlantedBug.Parse(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gas:NOPE")]
    [InlineData("gas:")]
    [InlineData("mul")]
    public void Unknown_or_empty_values_plant_nothing(string? value)
    {
        Assert.Equal((-1, false), PlantedBug.Parse(value));
    }

    [Fact]
    public void Sar_plants_the_logical_shift()
    {
        Assert.Equal((-1, true), PlantedBug.Parse("sar"));
        Assert.Equal((-1, true), PlantedBug.Parse("SAR"));
    }

    [Fact]
    public void The_test_process_runs_without_a_planted_bug()
    {
        // Conformance and differential tests in this process must see the real JIT.
        if (Environment.GetEnvironmentVariable(PlantedBug.Variable) is null)
        {
            Assert.Equal(-1, PlantedBug.UnderchargedOpcode);
            Assert.False(PlantedBug.LogicalSar);
        }
    }
}
