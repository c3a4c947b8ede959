using System.CommandLine;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// Runs the CLI in-process through its real entry point (<see cref="CliApp.InvokeAsync"/>: usage errors exit 2) with
/// captured output, pointed at a given storage account.
/// </summary>
internal static class OperationsCli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var code = await CliApp.InvokeAsync(args, configuration, Xunit.TestContext.Current.CancellationToken);
        return new Result(code, output.ToString(), error.ToString());
    }
}
