using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>What the production parameter file (and the template defaults) choose: closed network, long WORM, redundancy.</summary>
public sealed class ProductionParameterTests
{
    private const string Prod = "main.prod.bicepparam";

    [Fact]
    public async Task Production_closes_public_network_access_and_so_does_the_template_default()
    {
        var main = await CompiledInfrastructure.MainAsync();

        Assert.Equal("Disabled", (string?)await CompiledInfrastructure.ParameterValueAsync(Prod, "publicNetworkAccess"));
        Assert.Equal("Disabled", (string?)main.DefaultOf("publicNetworkAccess"));
    }

    [Fact]
    public async Task Production_gives_private_endpoints_a_subnet_dns_zones_and_the_app_vnet_integration()
    {
        var endpoints = (string?)await CompiledInfrastructure.ParameterValueAsync(Prod, "privateEndpointSubnetId");
        var integration = (string?)await CompiledInfrastructure.ParameterValueAsync(Prod, "vnetIntegrationSubnetId");
        var zones = (await CompiledInfrastructure.ParameterValueAsync(Prod, "privateDnsZoneIds"))!.AsObject();

        Assert.Contains("/subnets/", endpoints, StringComparison.Ordinal);
        Assert.Contains("/subnets/", integration, StringComparison.Ordinal);
        Assert.Equal(["blob", "queue", "vault"], zones.Select(z => z.Key).Order(StringComparer.Ordinal));
        var site = (await CompiledInfrastructure.MainAsync()).Module("function-app").Template.Single("Microsoft.Web/sites");
        Assert.Contains("parameters('vnetIntegrationSubnetId')", (string?)site["properties"]!["virtualNetworkSubnetId"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_keeps_audit_blobs_immutable_for_years_and_storage_zone_redundant()
    {
        Assert.True((int?)await CompiledInfrastructure.ParameterValueAsync(Prod, "auditImmutabilityDays") >= 365 * 6, "audit lines must outlive the longest audit period");
        Assert.Contains("ZRS", (string?)await CompiledInfrastructure.ParameterValueAsync(Prod, "storageSku"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameter_files_carry_no_auth_value_that_is_not_a_placeholder_identifier()
    {
        foreach (var file in new[] { "main.dev.bicepparam", Prod })
        {
            var clientId = (string?)await CompiledInfrastructure.ParameterValueAsync(file, "authClientId");
            Assert.True(Guid.TryParse(clientId, out _), $"{file}: authClientId must be an application id (a GUID), not a secret");
            Assert.StartsWith("api://", (string?)await CompiledInfrastructure.ParameterValueAsync(file, "authAudience"), StringComparison.Ordinal);
        }
    }
}
