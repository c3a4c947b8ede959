using System.CommandLine;

namespace CloudArchive.Cli.Tests.Dicom;

/// <summary>Runs the real command tree in-process with captured stdout and stderr.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var code = await CliApp.Build().Parse(args).InvokeAsync(configuration, Xunit.TestContext.Current.CancellationToken);
        return new Result(code, output.ToString(), error.ToString());
    }
}
