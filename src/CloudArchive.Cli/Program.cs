namespace CloudArchive.Cli;

/// <summary>The <c>cloudarchive</c> command-line entry point.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CancellationToken.None);
}
