namespace GslbDns.Steering.Policy;

/// <summary>A point on the earth in decimal degrees (WGS 84, as GeoIP databases report them).</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    public static bool IsValidLatitude(double value) => value is >= -90 and <= 90;

    public static bool IsValidLongitude(double value) => value is >= -180 and <= 180;
}
