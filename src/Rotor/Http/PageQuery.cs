using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Rotor.Http;

/// <summary>
/// The paging of list endpoints from the query string: <c>limit</c> (or <c>pageSize</c>), and either <c>before</c>
/// (a keyset: the <c>next</c> value of the previous page) or <c>page</c> (from 1). Anything else is a 400 naming the field.
/// </summary>
internal readonly record struct PageQuery(int Limit, long? Before, int Skip)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    private const int MaxPage = 10_000;

    /// <summary>The page the query asks for, or the validation error; <paramref name="keyset"/> false refuses <c>before</c>.</summary>
    public static RotorOutcome<PageQuery> Read(IQueryCollection query, bool keyset = true)
    {
        var limit = DefaultLimit;
        if ((First(query["limit"]) ?? First(query["pageSize"])) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return RotorError.Invalid("limit", $"Ask for 1 to {MaxLimit} items.");
        }

        long? before = null;
        if (keyset && First(query["before"]) is { } beforeText)
        {
            if (!long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return RotorError.Invalid("before", "Pass the next value of the previous page.");
            }

            before = id;
        }

        var skip = 0;
        if (before is null && First(query["page"]) is { } pageText)
        {
            if (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page is < 1 or > MaxPage)
            {
                return RotorError.Invalid("page", $"Pages are numbered from 1 to {MaxPage}.");
            }

            skip = (page - 1) * limit;
        }

        return new PageQuery(limit, before, skip);
    }

    public static string? First(StringValues values) => values.Count > 0 ? values[0] : null;
}
