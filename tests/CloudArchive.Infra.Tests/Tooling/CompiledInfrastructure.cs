using System.Text.Json.Nodes;

namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>
/// infra/ compiled once per test run and shared by every test: main.bicep to ARM JSON, both parameter files to their
/// JSON, and one lint pass over every file. About five seconds of bicep in all.
/// </summary>
internal static class CompiledInfrastructure
{
    private static readonly Lazy<Task<(BicepRun Run, ArmTemplate Template)>> MainBuild = new(BuildMainAsync);
    private static readonly Lazy<Task<BicepRun>> LintAll = new(() => BicepCli.RunAsync("lint", "--pattern", "**/*.bicep", "--no-restore"));
    private static readonly Lazy<Task<BicepRun>> BuildAll = new(BuildEveryFileIntoTempAsync);
    private static readonly Dictionary<string, Lazy<Task<(BicepRun Run, JsonObject? Parameters)>>> Params =
        InfraPaths.ParameterFiles.ToDictionary(f => Path.GetFileName(f), f => new Lazy<Task<(BicepRun, JsonObject?)>>(() => BuildParamsAsync(f)), StringComparer.Ordinal);

    /// <summary>main.bicep compiled (the test fails with bicep's diagnostics when it does not compile).</summary>
    public static async Task<ArmTemplate> MainAsync() => (await MainBuild.Value.ConfigureAwait(false)).Template;

    public static async Task<BicepRun> MainBuildRunAsync() => (await MainBuild.Value.ConfigureAwait(false)).Run;

    public static Task<BicepRun> LintAsync() => LintAll.Value;

    public static Task<BicepRun> BuildEveryFileAsync() => BuildAll.Value;

    /// <summary>A parameter file (<c>main.prod.bicepparam</c>) built with build-params.</summary>
    public static Task<(BicepRun Run, JsonObject? Parameters)> ParametersAsync(string fileName) => Params[fileName].Value;

    /// <summary>The value a parameter file sets, or null when it leaves the template default.</summary>
    public static async Task<JsonNode?> ParameterValueAsync(string fileName, string parameter)
    {
        var (run, parameters) = await ParametersAsync(fileName).ConfigureAwait(false);
        Xunit.Assert.True(parameters is not null, run.Describe());
        return parameters!["parameters"]![parameter]?["value"];
    }

    private static async Task<(BicepRun, ArmTemplate)> BuildMainAsync()
    {
        var run = await BicepCli.RunAsync("build", InfraPaths.MainTemplate, "--stdout", "--no-restore").ConfigureAwait(false);
        Xunit.Assert.True(run.ExitCode == 0, run.Describe());
        return (run, new ArmTemplate(JsonNode.Parse(run.Output)!.AsObject()));
    }

    // --pattern cannot print to stdout, so the JSON goes to a private folder that is removed again.
    private static async Task<BicepRun> BuildEveryFileIntoTempAsync()
    {
        var output = Directory.CreateTempSubdirectory("cloudarchive-infra-build-");
        try
        {
            return await BicepCli.RunAsync("build", "--pattern", "**/*.bicep", "--no-restore", "--outdir", output.FullName).ConfigureAwait(false);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<(BicepRun, JsonObject?)> BuildParamsAsync(string file)
    {
        var run = await BicepCli.RunAsync("build-params", file, "--stdout", "--no-restore").ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            return (run, null);
        }

        var parametersJson = (string?)JsonNode.Parse(run.Output)!["parametersJson"] ?? throw new InvalidOperationException("build-params printed no parametersJson");
        return (run, JsonNode.Parse(parametersJson)!.AsObject());
    }
}
