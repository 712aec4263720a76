import type { ReactNode } from 'react';
import { NavBar, SafeArea } from 'antd-mobile';
import { useNavigate } from 'react-router';

/** A screen pushed over the tabs: a title bar with a back arrow (home when there is no history). */
export function SubPage({ title, back = '/', right, children }: { title: string; back?: string; right?: ReactNode; children: ReactNode }) {
  const navigate = useNavigate();
  const goBack = () => {
    const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
    if (idx > 0) navigate(-1);
    else navigate(back, { replace: true });
  };
  return (
    <div className="ya-sub-page">
      <header className="ya-navbar">
        <SafeArea position="top" />
        <NavBar onBack={goBack} right={right}>
          <h1 className="ya-navbar-title">{title}</h1>
        </NavBar>
      </header>
      <div className="ya-sub-content">{children}</div>
      <SafeArea position="bottom" />
    </div>
  );
}
