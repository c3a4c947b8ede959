using CloudArchive.Core.Audit;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>Log Analytics, workspace-based Application Insights, diagnostic settings and the two alerts.</summary>
public sealed class MonitoringPolicyTests
{
    private static readonly string[] StorageLogCategories = ["StorageDelete", "StorageRead", "StorageWrite"];

    [Fact]
    public async Task Application_insights_is_workspace_based_and_accepts_entra_id_only()
    {
        var module = (await CompiledInfrastructure.MainAsync()).Module("monitoring").Template;
        var insights = module.Single("Microsoft.Insights/components")["properties"]!;

        Assert.Single(module.OfType("Microsoft.OperationalInsights/workspaces"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["WorkspaceResourceId"], StringComparison.Ordinal);
        Assert.Equal("LogAnalytics", (string?)insights["IngestionMode"]);
        Assert.True((bool?)insights["DisableLocalAuth"]);
    }

    [Theory]
    [InlineData("data-diagnostics", "dataAccountName")]
    [InlineData("keyring-diagnostics", "keyringAccountName")]
    public async Task Blob_and_queue_read_write_and_delete_logs_of_the_account_go_to_log_analytics(string deployment, string accountVariable)
    {
        var main = await CompiledInfrastructure.MainAsync();
        var module = main.Module(deployment);
        var settings = module.Template.OfType("Microsoft.Insights/diagnosticSettings");

        Assert.Equal($"[variables('{accountVariable}')]", (string?)module.Parameter("storageAccountName"));
        Assert.Equal(2, settings.Count);
        Assert.Contains(settings, s => ((string?)s["scope"])!.Contains("blobServices", StringComparison.Ordinal));
        Assert.Contains(settings, s => ((string?)s["scope"])!.Contains("queueServices", StringComparison.Ordinal));
        Assert.All(settings, s =>
        {
            var logs = s["properties"]!["logs"]!;
            Assert.Equal("[variables('storageLogs')]", (string?)logs);
            var categories = module.Template.Variable("storageLogs").AsArray().Where(l => (bool?)l!["enabled"] == true).Select(l => (string?)l!["category"]);
            Assert.Equal(StorageLogCategories, categories.Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public async Task Key_vault_audit_events_go_to_log_analytics()
    {
        var setting = (await CompiledInfrastructure.MainAsync()).Module("key-vault").Template.Single("Microsoft.Insights/diagnosticSettings");

        Assert.Contains(setting["properties"]!["logs"]!.AsArray(), l => (string?)l!["category"] == "AuditEvent" && (bool?)l["enabled"] == true);
        Assert.Equal("[parameters('workspaceId')]", (string?)setting["properties"]!["workspaceId"]);
    }

    [Fact]
    public async Task Function_app_logs_go_to_log_analytics()
    {
        var setting = (await CompiledInfrastructure.MainAsync()).Module("function-app").Template.Single("Microsoft.Insights/diagnosticSettings");

        Assert.Contains(setting["properties"]!["logs"]!.AsArray(), l => (string?)l!["category"] == "FunctionAppLogs" && (bool?)l["enabled"] == true);
    }

    [Fact]
    public async Task A_message_in_a_poison_queue_raises_an_alert()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var alerts = main.Module("alerts");
        var rule = Assert.Single(alerts.Template.OfType("Microsoft.Insights/scheduledQueryRules"), r => ((string?)r["name"])!.Contains("poison", StringComparison.Ordinal));
        var criterion = Assert.Single(rule["properties"]!["criteria"]!["allOf"]!.AsArray())!;

        Assert.True((bool?)rule["properties"]!["enabled"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int?)criterion["threshold"]);
        Assert.Contains("StorageQueueLogs", (string?)criterion["query"], StringComparison.Ordinal);
        Assert.Equal("[variables('poisonQueues')]", (string?)alerts.Parameter("poisonQueues"));
        Assert.Equal(["[format('{0}-poison', variables('exportQueue'))]", "[format('{0}-poison', variables('ingestQueue'))]"],
            main.Variable("poisonQueues").AsArray().Select(q => (string?)q).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_rate_of_110113_security_alert_audit_lines_raises_an_alert_on_the_prefix_the_audit_writer_logs()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var alerts = main.Module("alerts");
        var rule = Assert.Single(alerts.Template.OfType("Microsoft.Insights/scheduledQueryRules"), r => ((string?)r["name"])!.Contains("security", StringComparison.Ordinal));
        var criterion = Assert.Single(rule["properties"]!["criteria"]!["allOf"]!.AsArray())!;

        Assert.Equal("[format('AppTraces | where Message startswith \"{0} 110113\"', parameters('securityAlertLogPrefix'))]", (string?)criterion["query"]);
        Assert.Equal(AuditLogWriter.SecurityAlertLogPrefix, (string?)main.Variable("securityAlertLogPrefix"));
        Assert.Equal("Count", (string?)criterion["timeAggregation"]);
        Assert.Equal("[parameters('securityAlertThreshold')]", (string?)criterion["threshold"]);
        Assert.Equal(0, (int?)await CompiledInfrastructure.ParameterValueAsync("main.prod.bicepparam", "securityAlertThreshold"));
    }
}
