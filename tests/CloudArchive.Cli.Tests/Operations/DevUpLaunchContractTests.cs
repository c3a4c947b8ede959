using CloudArchive.Azure.Identity;
using CloudArchive.Cli.Commands.Dev;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>What <c>dev up</c> hands the function app: the isolated worker in its local host, watching the CLI.</summary>
public sealed class DevUpLaunchContractTests
{
    [Fact]
    public void Dev_env_runs_the_isolated_worker_with_the_local_host_on()
    {
        var paths = DevPaths.Find(RepositoryPaths.FindRoot(), Path.Combine(Path.GetTempPath(), "ca-devup-settings-unused"));

        var values = DevSettings.Create(paths, "UseDevelopmentStorage=true");

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("true", values["LocalHost__Enabled"]);
        Assert.Equal("Local", values["CloudArchive__Keys__Provider"]);
        Assert.DoesNotContain("LocalTriggers__Enabled", values.Keys);
    }

    [Fact]
    public void Dev_env_points_the_app_at_the_loopback_development_token_issuer()
    {
        var paths = DevPaths.Find(RepositoryPaths.FindRoot(), Path.Combine(Path.GetTempPath(), "ca-devup-settings-unused"));

        var values = DevSettings.Create(paths, "UseDevelopmentStorage=true");

        Assert.Equal(DevelopmentTokenIssuer.DefaultTenantId, values["CloudArchive__Auth__TenantId"]);
        Assert.Equal(DevelopmentTokenIssuer.DefaultAudience, values["CloudArchive__Auth__Audience"]);
        Assert.Equal(paths.DevIssuer, values["CloudArchive__Auth__DevelopmentIssuerKeyDirectory"]);
        Assert.StartsWith(paths.State, paths.DevIssuer, StringComparison.Ordinal);
    }

    [Fact]
    public void The_function_app_listens_on_loopback_and_follows_the_cli_process()
    {
        var environment = FunctionHostLauncher.LocalHostEnvironment(7071, 4242);

        Assert.Equal("true", environment["LocalHost__Enabled"]);
        Assert.Equal("http://127.0.0.1:7071", environment["LocalHost__Urls"]);
        Assert.Equal("4242", environment["LocalHost__ParentProcessId"]);
        Assert.Equal("dotnet-isolated", environment["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
        Assert.DoesNotContain("FUNCTIONS_CUSTOMHANDLER_PORT", environment.Keys);
    }
}
