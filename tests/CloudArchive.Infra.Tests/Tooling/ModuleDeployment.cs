using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>One module as the main template deploys it: the parameters it is given and its own template.</summary>
internal sealed class ModuleDeployment(JsonObject deployment)
{
    // Expressions are compared as written (quotes not escaped to \u0027).
    private static readonly JsonSerializerOptions Verbatim = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public JsonObject Deployment { get; } = deployment;

    public ArmTemplate Template { get; } = new(deployment["properties"]!["template"]!.AsObject());

    /// <summary>The value (literal or expression) the main template passes for a module parameter.</summary>
    public JsonNode? Parameter(string name) => Deployment["properties"]!["parameters"]![name]?["value"];

    /// <summary>The parameter as an expression or literal string.</summary>
    public string ParameterText(string name) => Parameter(name)?.ToJsonString(Verbatim) ?? throw new KeyNotFoundException($"module parameter {name}");
}
