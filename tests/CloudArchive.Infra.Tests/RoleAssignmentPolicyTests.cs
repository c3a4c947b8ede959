using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>Role assignments: built-in data roles by GUID, scoped to a container, queue, key or component, each with a reason.</summary>
public sealed partial class RoleAssignmentPolicyTests
{
    // The built-in roles the template may grant (learn.microsoft.com, "Azure built-in roles").
    private static readonly Dictionary<string, string> AllowedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"] = "Storage Queue Data Message Sender",
        ["e147488a-f6f5-4113-8e2d-b22465e65bf6"] = "Key Vault Crypto Service Encryption User",
        ["12338af0-0e69-4776-bea7-57ae8d297424"] = "Key Vault Crypto User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    private static readonly string[] ForbiddenRoles =
    [
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
        "b24988ac-6180-42a3-9e66-b1ae7bc8d39c", // Contributor
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
        "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor (can list keys)
        "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
    ];

    private static readonly string[] NarrowScopes =
    [
        "Microsoft.Storage/storageAccounts/blobServices/containers", "Microsoft.Storage/storageAccounts/queueServices/queues",
        "Microsoft.KeyVault/vaults/keys", "Microsoft.Insights/components",
    ];

    private sealed record Assignment(string Module, JsonObject Resource, string RoleId);

    private static async Task<IReadOnlyList<Assignment>> AssignmentsAsync()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var result = new List<Assignment>();
        Assert.Empty(main.OfType("Microsoft.Authorization/roleAssignments"));
        foreach (var deployment in main.OfType("Microsoft.Resources/deployments"))
        {
            var module = new ModuleDeployment(deployment);
            foreach (var assignment in module.Template.OfType("Microsoft.Authorization/roleAssignments"))
            {
                var definition = (string?)assignment["properties"]!["roleDefinitionId"] ?? string.Empty;
                var match = RoleVariable().Match(definition);
                Assert.True(match.Success, $"{deployment["name"]}: roleDefinitionId {definition} must name a role GUID from the module's roles variable");
                var id = (string?)module.Template.Variable("roles")[match.Groups[1].Value] ?? string.Empty;
                result.Add(new Assignment((string)deployment["name"]!, assignment, id));
            }
        }

        return result;
    }

    [Fact]
    public async Task Every_role_is_an_allowed_built_in_data_role_and_never_owner_or_contributor()
    {
        var assignments = await AssignmentsAsync();

        Assert.NotEmpty(assignments);
        Assert.All(assignments, a =>
        {
            Assert.DoesNotContain(a.RoleId, ForbiddenRoles, StringComparer.OrdinalIgnoreCase);
            Assert.True(AllowedRoles.ContainsKey(a.RoleId), $"{a.Module}: role {a.RoleId} is not one of the allowed built-in data roles");
        });
    }

    [Fact]
    public async Task Every_role_is_scoped_to_a_container_queue_key_or_component_never_an_account_or_the_group()
    {
        var assignments = await AssignmentsAsync();

        Assert.All(assignments, a =>
        {
            var scope = (string?)a.Resource["scope"] ?? string.Empty;
            Assert.True(NarrowScopes.Any(s => scope.Contains($"'{s}'", StringComparison.Ordinal)), $"{a.Module}: role {AllowedRoles[a.RoleId]} has scope '{scope}'");
        });
    }

    [Fact]
    public async Task Every_role_assignment_says_why_it_exists()
    {
        var assignments = await AssignmentsAsync();

        Assert.All(assignments, a => Assert.False(string.IsNullOrWhiteSpace((string?)a.Resource["properties"]!["description"]), $"{a.Module}: a role assignment without a description"));
    }

    [Fact]
    public async Task Blob_index_tags_come_from_storage_blob_data_owner_on_archive_and_research_only()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var roles = main.Module("app-roles");
        var assignments = (await AssignmentsAsync()).Where(a => a.Module == "app-roles").ToList();

        Assert.Equal("[\"[variables('containerNames').Archive]\",\"[variables('containerNames').Research]\"]", roles.ParameterText("taggedContainers"));
        var owners = assignments.Where(a => AllowedRoles[a.RoleId] == "Storage Blob Data Owner").Select(a => (string?)a.Resource["scope"]).ToList();
        Assert.All(owners, scope => Assert.True(scope!.Contains("parameters('taggedContainers')", StringComparison.Ordinal) || scope.Contains("parameters('hostContainers')", StringComparison.Ordinal), scope));
    }

    [Fact]
    public async Task The_app_identity_may_wrap_with_the_kek_and_sign_with_the_seal_key_only()
    {
        var keyRoles = (await AssignmentsAsync()).Where(a => ((string?)a.Resource["scope"])!.Contains("Microsoft.KeyVault/vaults/keys", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, keyRoles.Count);
        Assert.Contains(keyRoles, a => AllowedRoles[a.RoleId] == "Key Vault Crypto Service Encryption User" && ((string?)a.Resource["scope"])!.Contains("parameters('kekName')", StringComparison.Ordinal));
        Assert.Contains(keyRoles, a => AllowedRoles[a.RoleId] == "Key Vault Crypto User" && ((string?)a.Resource["scope"])!.Contains("parameters('signingKeyName')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Event_grid_may_only_send_messages_to_the_ingest_queue_and_write_dead_letters()
    {
        var eventGrid = (await AssignmentsAsync()).Where(a => a.Module == "event-grid").ToList();

        Assert.Equal(["Storage Blob Data Contributor", "Storage Queue Data Message Sender"], eventGrid.Select(a => AllowedRoles[a.RoleId]).Order(StringComparer.Ordinal));
        Assert.Contains(eventGrid, a => ((string?)a.Resource["scope"])!.Contains("parameters('ingestQueueName')", StringComparison.Ordinal));
        Assert.Contains(eventGrid, a => ((string?)a.Resource["scope"])!.Contains("parameters('deadLetterContainerName')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_app_identity_has_a_role_on_the_data_account_the_keyring_account_and_the_vault()
    {
        var app = (await AssignmentsAsync()).Where(a => a.Module == "app-roles").Select(a => (string?)a.Resource["scope"]).ToList();

        Assert.Contains(app, s => s!.Contains("parameters('dataAccountName')", StringComparison.Ordinal));
        Assert.Contains(app, s => s!.Contains("parameters('keyringAccountName')", StringComparison.Ordinal));
        Assert.Contains(app, s => s!.Contains("parameters('vaultName')", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"variables\('roles'\)\.(\w+)")]
    private static partial Regex RoleVariable();
}
