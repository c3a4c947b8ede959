using CloudArchive.Azure.Composition;
using CloudArchive.Functions.Hosting;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CloudArchive.Functions.Tests.Hosting;

/// <summary>The worker the real Functions host runs never trusts the development token issuer.</summary>
public sealed class WorkerHostTests
{
    [Fact]
    public void The_worker_refuses_the_development_issuer_even_with_the_local_host_flag_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AuthSettings.DevelopmentIssuerKeyDirectoryKey] = "/tmp/any",
            [AuthSettings.LocalHostEnabledKey] = "true",
        }).Build();

        var ex = Assert.Throws<ArchiveConfigurationException>(() => WorkerHost.RefuseDevelopmentIssuer(configuration));

        Assert.Contains(AuthSettings.DevelopmentIssuerKeyDirectoryKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_accepts_a_configuration_without_the_development_issuer()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AuthSettings.TenantIdKey] = Guid.NewGuid().ToString() }).Build();

        Assert.Null(Record.Exception(() => WorkerHost.RefuseDevelopmentIssuer(configuration)));
    }
}
