using System.CommandLine;
using CloudArchive.Cli;

namespace CloudArchive.Functions.Tests;

/// <summary>Runs the <c>cloudarchive</c> CLI in-process through its real entry point, with captured output.</summary>
internal static class InProcessCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, Xunit.TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
