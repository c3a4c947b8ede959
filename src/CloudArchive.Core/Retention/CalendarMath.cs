namespace CloudArchive.Core.Retention;

/// <summary>
/// Date arithmetic for retention deadlines. Every rounding goes later, never earlier: a record kept one
/// day too long is a storage cost, a record deleted one day early can be a breach of law.
/// </summary>
public static class CalendarMath
{
    /// <summary>
    /// Adds whole months; when the day of month does not exist in the target month the result is the
    /// first day of the next month (31 Jan + 1 month = 1 Mar, 29 Feb 2024 + 1 year = 1 Mar 2025).
    /// Saturates at <see cref="DateOnly.MaxValue"/>.
    /// </summary>
    public static DateOnly AddMonthsNeverEarly(DateOnly date, long months)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(months);
        var monthIndex = (date.Year * 12L) + (date.Month - 1) + months;
        var year = monthIndex / 12;
        var month = (int)(monthIndex % 12) + 1;
        if (year > DateOnly.MaxValue.Year)
        {
            return DateOnly.MaxValue;
        }

        var daysInMonth = DateTime.DaysInMonth((int)year, month);
        if (date.Day <= daysInMonth)
        {
            return new DateOnly((int)year, month, date.Day);
        }

        return year == DateOnly.MaxValue.Year && month == 12
            ? DateOnly.MaxValue
            : new DateOnly((int)year, month, daysInMonth).AddDays(1);
    }

    /// <summary>Adds days, saturating at <see cref="DateOnly.MaxValue"/>.</summary>
    public static DateOnly AddDaysSaturating(DateOnly date, long days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var remaining = (long)DateOnly.MaxValue.DayNumber - date.DayNumber;
        return days >= remaining ? DateOnly.MaxValue : date.AddDays((int)days);
    }

    /// <summary>
    /// The date a person born on <paramref name="birthDate"/> reaches age <paramref name="years"/>.
    /// Someone born on 29 February reaches it on 1 March in common years (the later of the two readings
    /// used by different legal systems, so that an "until age N" floor never ends early).
    /// </summary>
    public static DateOnly Birthday(DateOnly birthDate, int years)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(years);
        return AddMonthsNeverEarly(birthDate, years * 12L);
    }

    /// <summary>Age in completed years on <paramref name="onDate"/>, with <see cref="Birthday"/>'s leap-day rule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is before the birth date.</exception>
    public static int AgeOn(DateOnly birthDate, DateOnly onDate)
    {
        if (onDate < birthDate)
        {
            throw new ArgumentOutOfRangeException(nameof(onDate), "The date is before the birth date.");
        }

        var age = onDate.Year - birthDate.Year;
        if (Birthday(birthDate, age) > onDate)
        {
            age--;
        }

        return age;
    }

    /// <summary>
    /// The latest birth date at which a person is at least <paramref name="years"/> old on
    /// <paramref name="onDate"/>. Used to bound a deadline when the birth date is unknown.
    /// </summary>
    public static DateOnly LatestBirthDateForAge(DateOnly onDate, int years)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(years);
        if (years == 0)
        {
            return onDate;
        }

        // Start from the naive calendar answer and step to the boundary; at most a couple of days off
        // around 29 February.
        var candidate = onDate.Year - years < 1 ? DateOnly.MinValue : onDate.AddYears(-years);
        while (candidate < onDate && AgeOn(candidate.AddDays(1), onDate) >= years)
        {
            candidate = candidate.AddDays(1);
        }

        while (candidate > DateOnly.MinValue && AgeOn(candidate, onDate) < years)
        {
            candidate = candidate.AddDays(-1);
        }

        return candidate;
    }
}
