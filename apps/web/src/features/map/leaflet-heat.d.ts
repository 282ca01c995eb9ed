// leaflet.heat ships no types: it is loaded for its side effect on the global L (see leaflet.ts).
declare module 'leaflet.heat';
