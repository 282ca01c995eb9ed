// The map screen, loaded on first visit (Leaflet stays out of the main bundle).
import { lazy, Suspense } from 'react';
import { Spin } from 'antd';

const MapView = lazy(() => import('./MapView').then((m) => ({ default: m.MapView })));

export function MapPage() {
  return (
    <Suspense fallback={<div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}>
      <MapView />
    </Suspense>
  );
}
