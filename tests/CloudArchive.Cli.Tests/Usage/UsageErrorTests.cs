using CloudArchive.Cli.Tests.Operations;
using Xunit;

namespace CloudArchive.Cli.Tests.Usage;

/// <summary>Usage errors exit 2 wherever they come from, including an unknown command asked for help.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("frobnicate", "--help")]
    [InlineData("status", "--no-such-option")]
    [InlineData("upload")]
    [InlineData("dicom", "dump")]
    [InlineData("audit", "query", "extra-argument")]
    public async Task A_usage_error_exits_2_names_the_problem_and_points_at_help(params string[] args)
    {
        var (code, output, error) = await OperationsCli.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("--help' for usage.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unknown_command_is_named_and_the_hint_names_the_command_reached()
    {
        var (_, _, unknown) = await OperationsCli.RunAsync("frobnicate", "--help");
        var (_, _, option) = await OperationsCli.RunAsync("audit", "query", "--bogus");

        Assert.Contains("'frobnicate'", unknown, StringComparison.Ordinal);
        Assert.Contains("Run 'cloudarchive --help'", unknown, StringComparison.Ordinal);
        Assert.Contains("Run 'cloudarchive audit query --help'", option, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_shared_exit_codes()
    {
        var (code, output, _) = await OperationsCli.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("2 usage or configuration error", output, StringComparison.Ordinal);
    }
}
