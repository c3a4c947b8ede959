using System.Collections.Concurrent;
using System.Globalization;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Bounds the audit lines refusals produce. The first refusal of an (actor, reason) pair in a window is written at
/// once; further ones in the same window are only counted, and when the window has passed one line records how many
/// there were (detail <c>repeated=N</c>). A flood from one actor therefore adds at most two lines per reason per window,
/// while every distinct actor still leaves its own line. Actors are validated principals (tenant + object id), so a
/// client cannot multiply them by inventing ids.
/// </summary>
public sealed class DenialAuditThrottle
{
    /// <summary>Default window.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Actor, string Reason), Window> _windows = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;

    /// <summary>Creates the throttle.</summary>
    public DenialAuditThrottle(TimeProvider time, TimeSpan? window = null)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _window = window ?? DefaultWindow;
    }

    /// <summary>The length of a window.</summary>
    public TimeSpan WindowLength => _window;

    /// <summary>
    /// Records one refusal; true when it must be written now (the first of its window), false when it was counted into
    /// the window's aggregate line.
    /// </summary>
    public bool Record(string actor, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var now = _time.GetUtcNow();
        var key = (actor, reason);
        while (true)
        {
            var window = _windows.GetOrAdd(key, _ => new Window(now));
            lock (window)
            {
                if (window.Removed)
                {
                    // Forgotten by TakeExpired between the lookup and the lock: start again with a fresh window.
                    continue;
                }

                if (window.Fresh)
                {
                    window.Fresh = false;
                    return true;
                }

                if (now - window.Start < _window)
                {
                    window.Repeats++;
                    return false;
                }

                // The window is over: its count waits for TakeExpired; this refusal opens the next window.
                window.Pending += window.Repeats;
                window.Repeats = 0;
                window.Start = now;
                return true;
            }
        }
    }

    /// <summary>
    /// The aggregates of windows that have passed: (actor, reason, detail <c>repeated=N</c>) for each with repeats.
    /// Windows with nothing left to report are forgotten, so memory stays bounded by the actors refused recently.
    /// </summary>
    public IReadOnlyList<(string Actor, string Reason, string Detail)> TakeExpired()
    {
        var now = _time.GetUtcNow();
        var result = new List<(string, string, string)>();
        foreach (var (key, window) in _windows)
        {
            long repeats;
            lock (window)
            {
                var expired = now - window.Start >= _window;
                repeats = window.Pending + (expired ? window.Repeats : 0);
                window.Pending = 0;
                if (expired)
                {
                    window.Repeats = 0;
                    window.Removed = true;
                    _windows.TryRemove(new KeyValuePair<(string, string), Window>(key, window));
                }
            }

            if (repeats > 0)
            {
                result.Add((key.Actor, key.Reason, string.Create(CultureInfo.InvariantCulture, $"repeated={repeats}")));
            }
        }

        return result;
    }

    /// <summary>True when some window has a count to report or has passed (a flush would do something).</summary>
    public bool HasExpired()
    {
        var now = _time.GetUtcNow();
        return _windows.Values.Any(w => w.Pending > 0 || now - w.Start >= _window);
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public bool Fresh { get; set; } = true;

        public long Repeats { get; set; }

        public long Pending { get; set; }

        public bool Removed { get; set; }
    }
}
