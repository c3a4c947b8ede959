using System.Text.Json;
using CloudArchive.Functions.Middleware;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>
/// What the middleware does around every function: a queue invocation that fails still fails (the host redelivers and
/// finally poisons), whether permanent or not; an HTTP one answers 500 with the correlation id; the correlation id is the
/// invocation id whenever that is safe to log.
/// </summary>
public sealed class InvocationMiddlewareTests : IDisposable
{
    private const string InvocationId = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private readonly LogRecorder _logs = new();
    private readonly ILoggerFactory _loggers;

    public InvocationMiddlewareTests() => _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));

    public void Dispose() => _loggers.Dispose();

    private (InvocationMiddleware Middleware, LogRecorder Logs) Create() => (new InvocationMiddleware(_loggers.CreateLogger<InvocationMiddleware>()), _logs);

    [Fact]
    public async Task A_failing_queue_invocation_is_logged_with_its_correlation_id_and_rethrown_unchanged()
    {
        var (middleware, logs) = Create();
        var context = new TestFunctionContext("IngestInstance", InvocationId);
        var failure = new IOException("storage unavailable");

        var thrown = await Assert.ThrowsAsync<IOException>(() => middleware.Invoke(context, _ => throw failure));

        Assert.Same(failure, thrown);
        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(failure, entry.Exception);
        Assert.Contains("IngestInstance " + InvocationId + ": failed with IOException: storage unavailable", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_message_is_rethrown_too_so_it_ends_in_the_poison_queue_not_dropped()
    {
        var (middleware, logs) = Create();
        var context = new TestFunctionContext("IngestInstance", InvocationId);
        var invalid = new InvalidMessageException("The queue message is empty.");

        var thrown = await Assert.ThrowsAsync<InvalidMessageException>(() => middleware.Invoke(context, _ => throw invalid));

        Assert.Same(invalid, thrown);
        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("poison", entry.Message, StringComparison.Ordinal);
        Assert.Contains("The queue message is empty.", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_of_the_invocation_passes_through_unlogged()
    {
        var (middleware, logs) = Create();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = new TestFunctionContext("IngestInstance", InvocationId, cancellationToken: cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => middleware.Invoke(context, ctx => Task.FromCanceled(ctx.CancellationToken)));

        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task A_successful_invocation_runs_inside_a_scope_of_function_and_correlation_id_only()
    {
        var (middleware, logs) = Create();
        var context = new TestFunctionContext("IngestInstance", InvocationId);
        var logger = _loggers.CreateLogger("CloudArchive.Probe");

        await middleware.Invoke(context, _ =>
        {
            logger.LogInformation("inside");
            return Task.CompletedTask;
        });

        var entry = Assert.Single(logs.Entries);
        Assert.Equal("inside", entry.Message);
        KeyValuePair<string, object?>[] expected = [new("Function", "IngestInstance"), new("CorrelationId", InvocationId)];
        Assert.Equal(expected, entry.Scope.OrderBy(p => p.Key == "CorrelationId"));
    }

    [Theory]
    [InlineData(InvocationId)]
    [InlineData("abc-DEF_1.2:3")]
    public void A_safe_invocation_id_is_the_correlation_id(string invocationId)
    {
        var context = new TestFunctionContext("IngestInstance", invocationId);

        Assert.Equal(invocationId, context.CorrelationId());
    }

    [Theory]
    [InlineData("")]
    [InlineData("id with spaces")]
    [InlineData("line\nbreak")]
    [InlineData("SMITH^JOHN")]
    [InlineData("ü")]
    public void An_unsafe_invocation_id_is_replaced_by_a_new_id_that_stays_for_the_invocation(string invocationId)
    {
        var context = new TestFunctionContext("IngestInstance", invocationId);

        var id = context.CorrelationId();

        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal(id, context.CorrelationId());
        Assert.NotEqual(id, new TestFunctionContext("IngestInstance", invocationId).CorrelationId());
    }

    [Fact]
    public void An_overlong_invocation_id_is_not_logged_as_is()
    {
        Assert.True(CorrelationIds.IsSafe(new string('a', 128)));
        Assert.False(CorrelationIds.IsSafe(new string('a', 129)));
        Assert.False(CorrelationIds.IsSafe(null));
        Assert.NotEqual(new string('a', 129), new TestFunctionContext("IngestInstance", new string('a', 129)).CorrelationId());
    }

    [Fact]
    public async Task A_failing_http_invocation_answers_500_with_the_correlation_id_and_no_detail()
    {
        var (middleware, _) = Create();
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var context = new TestFunctionContext("ResearchApi", InvocationId, http);

        await middleware.Invoke(context, _ => throw new InvalidOperationException("secret detail"));

        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        Assert.Equal(InvocationId, http.Response.Headers["x-correlation-id"].ToString());
        http.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(http.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("internal-error", body.RootElement.GetProperty("error").GetString());
        Assert.Contains(InvocationId, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_http_invocation_failing_after_the_body_started_aborts_the_connection()
    {
        var (middleware, _) = Create();
        var lifetime = new AbortRecorder();
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpResponseFeature>(new StartedResponse());
        http.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        var context = new TestFunctionContext("ResearchApi", InvocationId, http);

        await middleware.Invoke(context, _ => throw new IOException("read failed mid-download"));

        Assert.True(lifetime.Aborted);
        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
    }

    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }

    private sealed class AbortRecorder : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }
}
