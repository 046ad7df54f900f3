using GslbDns.Steering.Policy;

namespace GslbDns.Steering.Topology;

/// <summary>Distance along the earth's surface, treating it as a sphere (error under 0.5 %, ample for ranking).</summary>
public static class GreatCircle
{
    /// <summary>Mean earth radius (IUGG).</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Haversine formula: numerically stable for the short distances where the cosine rule loses precision.</summary>
    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        double lat1 = ToRadians(a.Latitude), lat2 = ToRadians(b.Latitude);
        double dLat = lat2 - lat1;
        double dLon = ToRadians(b.Longitude - a.Longitude);
        double sinLat = Math.Sin(dLat / 2), sinLon = Math.Sin(dLon / 2);
        double h = sinLat * sinLat + Math.Cos(lat1) * Math.Cos(lat2) * sinLon * sinLon;
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(Math.Min(1, h)));
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180);
}
