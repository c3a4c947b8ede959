using System.Text.Json.Nodes;

namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>
/// A compiled ARM template (or one module's nested template) as JSON: its resources by type, its variables, and the
/// parameters a module deployment passes. Property values are literals or ARM expressions (<c>[parameters('x')]</c>).
/// </summary>
internal sealed class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    public IEnumerable<JsonObject> Resources => Root["resources"]!.AsArray().Select(r => r!.AsObject());

    /// <summary>The resources of one type, e.g. <c>Microsoft.Storage/storageAccounts</c>.</summary>
    public IReadOnlyList<JsonObject> OfType(string type) =>
        [.. Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase) && r["existing"] is null)];

    /// <summary>The one resource of a type (fails the test when there is not exactly one).</summary>
    public JsonObject Single(string type) => Xunit.Assert.Single(OfType(type));

    /// <summary>The module deployed under a deployment name (e.g. <c>data-storage</c>).</summary>
    public ModuleDeployment Module(string deploymentName)
    {
        var deployment = Xunit.Assert.Single(OfType("Microsoft.Resources/deployments"), d => ((string?)d["name"])!.Contains(deploymentName, StringComparison.Ordinal));
        return new ModuleDeployment(deployment);
    }

    /// <summary>A variable of the template.</summary>
    public JsonNode Variable(string name) => Root["variables"]?[name] ?? throw new KeyNotFoundException($"variable {name}");

    /// <summary>A parameter's declared default value.</summary>
    public JsonNode? DefaultOf(string parameter) => Root["parameters"]![parameter]!["defaultValue"];

    /// <summary>Every resource of this template and of the modules it deploys, depth first.</summary>
    public IEnumerable<JsonObject> AllResources()
    {
        foreach (var resource in Resources)
        {
            yield return resource;
            if ((string?)resource["type"] == "Microsoft.Resources/deployments")
            {
                foreach (var nested in new ModuleDeployment(resource).Template.AllResources())
                {
                    yield return nested;
                }
            }
        }
    }
}
