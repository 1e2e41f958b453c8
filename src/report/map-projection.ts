/**
 * The route map's projection: Natural Earth (Šavrič, Jenny, Patterson, Petrovič & Hurni, 2011),
 * a pseudocylindrical world projection given by two polynomials in latitude φ (radians):
 *
 *   x = λ · (0.8707 − 0.131979 φ² − 0.013791 φ⁴ + 0.003971 φ¹⁰ − 0.001529 φ¹²)
 *   y = φ · (1.007226 + 0.015085 φ² − 0.044475 φ⁶ + 0.028874 φ⁸ − 0.005916 φ¹⁰)
 *
 * The map frame spans longitude −180…180 and latitude {@link MAP_TOP_LAT}…{@link MAP_BOTTOM_LAT}
 * (Antarctica is left out), scaled to map units {@link MAP_WIDTH} wide with y pointing down.
 * The outline generator (`scripts/world-outline/generate.ts`) and the renderer both project
 * through {@link projectToMap}, so outline and markers always line up.
 */

/** Width of the map frame in map units. */
export const MAP_WIDTH = 1000;
/** Latitude at the top edge of the frame (north of Greenland's northern tip). */
export const MAP_TOP_LAT = 84;
/** Latitude at the bottom edge of the frame (south of Tierra del Fuego; Antarctica is not drawn). */
export const MAP_BOTTOM_LAT = -57;

const RAD = Math.PI / 180;

/** Natural Earth projection of (longitude, latitude) in degrees to unit-sphere coordinates (y up). */
export function naturalEarth(lon: number, lat: number): { x: number; y: number } {
  const l = lon * RAD;
  const p = lat * RAD;
  const p2 = p * p;
  const p4 = p2 * p2;
  return {
    x: l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))),
    y: p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4))),
  };
}

const HALF_WIDTH = naturalEarth(180, 0).x;
const SCALE = MAP_WIDTH / (2 * HALF_WIDTH);
const TOP = naturalEarth(0, MAP_TOP_LAT).y;

/** Height of the map frame in map units. */
export const MAP_HEIGHT = (TOP - naturalEarth(0, MAP_BOTTOM_LAT).y) * SCALE;

/** Projects (longitude, latitude) in degrees to map units: x from 0 (−180°) to {@link MAP_WIDTH}, y down from {@link MAP_TOP_LAT}. */
export function projectToMap(lon: number, lat: number): { x: number; y: number } {
  const p = naturalEarth(lon, lat);
  return { x: (p.x + HALF_WIDTH) * SCALE, y: (TOP - p.y) * SCALE };
}
